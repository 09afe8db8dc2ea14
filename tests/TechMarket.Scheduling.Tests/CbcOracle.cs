using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TechMarket.Scheduling.Tests;

/// <summary>Debian's COIN-OR CBC (/usr/bin/cbc) as an exact reference: the test writes an LP file, CBC solves it.</summary>
internal static class CbcOracle
{
    public const string Path = "/usr/bin/cbc";

    /// <summary>Maximises Σ weight·x over binary x subject to "Σ x[i] ≤ bound" rows; returns the optimum.</summary>
    public static double Maximise(IReadOnlyList<double> weights, IEnumerable<(IReadOnlyList<int> Vars, int Bound)> rows)
    {
        var lp = new StringBuilder();
        lp.Append("Maximize\n obj:");
        for (var i = 0; i < weights.Count; i++)
        {
            lp.Append(CultureInfo.InvariantCulture, $" + {weights[i]:R} x{i}");
        }

        if (weights.Count == 0)
        {
            lp.Append(" 0 dummy");
        }

        lp.Append("\nSubject To\n");
        var r = 0;
        foreach (var (vars, bound) in rows)
        {
            if (vars.Count == 0)
            {
                continue;
            }

            lp.Append(CultureInfo.InvariantCulture, $" c{r++}: ");
            lp.Append(string.Join(" + ", vars.Select(v => $"x{v}")));
            lp.Append(CultureInfo.InvariantCulture, $" <= {bound}\n");
        }

        if (r == 0)
        {
            lp.Append(" c0: dummy <= 0\n");
        }

        lp.Append("Bounds\n");
        for (var i = 0; i < weights.Count; i++)
        {
            lp.Append(CultureInfo.InvariantCulture, $" 0 <= x{i} <= 1\n");
        }

        lp.Append("Binaries\n");
        for (var i = 0; i < weights.Count; i++)
        {
            lp.Append(CultureInfo.InvariantCulture, $" x{i}\n");
        }

        lp.Append("End\n");
        return Solve(lp.ToString());
    }

    private static double Solve(string model)
    {
        var dir = Directory.CreateTempSubdirectory("tm-cbc-");
        try
        {
            var lpFile = System.IO.Path.Combine(dir.FullName, "model.lp");
            var solFile = System.IO.Path.Combine(dir.FullName, "model.sol");
            File.WriteAllText(lpFile, model);
            var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { lpFile, "solve", "solution", solFile })
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            var first = File.ReadLines(solFile).First();
            Assert.StartsWith("Optimal", first, StringComparison.Ordinal);
            return double.Parse(first[(first.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
