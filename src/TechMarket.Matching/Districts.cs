namespace TechMarket.Matching;

/// <summary>Where Ningbo's districts are (their government seats, to a kilometre or so), for the distance feature.</summary>
internal static class Districts
{
    private static readonly Dictionary<string, (double Lat, double Lon)> Seats = new(StringComparer.Ordinal)
    {
        ["海曙区"] = (29.859, 121.551),
        ["江北区"] = (29.886, 121.555),
        ["镇海区"] = (29.949, 121.716),
        ["北仑区"] = (29.899, 121.844),
        ["鄞州区"] = (29.817, 121.547),
        ["奉化区"] = (29.655, 121.407),
        ["余姚市"] = (30.037, 121.154),
        ["慈溪市"] = (30.170, 121.266),
        ["宁海县"] = (29.288, 121.430),
        ["象山县"] = (29.477, 121.869),
        ["高新区"] = (29.880, 121.610),
        ["前湾新区"] = (30.300, 121.280),
        ["东钱湖"] = (29.780, 121.640),
        ["市本级"] = (29.868, 121.544),
    };

    /// <summary>Great-circle distance in km, or null when either district is unknown.</summary>
    public static double? DistanceKm(string? a, string? b)
    {
        if (a is null || b is null || !Seats.TryGetValue(a, out var p) || !Seats.TryGetValue(b, out var q))
        {
            return null;
        }

        const double R = 6371;
        var dLat = (q.Lat - p.Lat) * Math.PI / 180;
        var dLon = (q.Lon - p.Lon) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) +
                (Math.Cos(p.Lat * Math.PI / 180) * Math.Cos(q.Lat * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
