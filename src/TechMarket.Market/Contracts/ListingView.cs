using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Market.Contracts;

/// <summary>A need or achievement as the API and the UI show it; what the listing grain answers.</summary>
[GenerateSerializer, Immutable]
public sealed record ListingView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public string Kind { get; init; } = "";

    [Id(2)]
    public string Title { get; init; } = "";

    [Id(3)]
    public string Summary { get; init; } = "";

    [Id(4)]
    public string Keywords { get; init; } = "";

    [Id(5)]
    public string Field { get; init; } = "";

    [Id(6)]
    public string[] TransferModes { get; init; } = [];

    [Id(7)]
    public string Status { get; init; } = "";

    [Id(8)]
    public string StatusLabel { get; init; } = "";

    [Id(9)]
    public string? ReviewNote { get; init; }

    [Id(10)]
    public long OrganisationId { get; init; }

    [Id(11)]
    public string OrganisationName { get; init; } = "";

    [Id(12)]
    public string District { get; init; } = "";

    [Id(13)]
    public string ContactName { get; init; } = "";

    [Id(14)]
    public string ContactPhone { get; init; } = "";

    [Id(15)]
    public DateTime CreatedAt { get; init; }

    [Id(16)]
    public DateTime UpdatedAt { get; init; }

    [Id(17)]
    public DateTime? PublishedAt { get; init; }

    [Id(18)]
    public bool IsDemo { get; init; }

    [Id(19)]
    public long Version { get; init; }

    [Id(20)]
    public string? Problem { get; init; }

    [Id(21)]
    public string? KeyPoints { get; init; }

    [Id(22)]
    public string? Targets { get; init; }

    [Id(23)]
    public decimal? BudgetWan { get; init; }

    [Id(24)]
    public DateOnly? ValidUntil { get; init; }

    [Id(25)]
    public bool IsChallenge { get; init; }

    [Id(26)]
    public decimal? BountyWan { get; init; }

    [Id(27)]
    public DateOnly? ChallengeDeadline { get; init; }

    /// <summary>An achievement's stage, or the least mature stage a need can take up.</summary>
    [Id(28)]
    public string? Maturity { get; init; }

    [Id(29)]
    public int? Trl { get; init; }

    [Id(30)]
    public string? IntellectualProperty { get; init; }

    [Id(31)]
    public decimal? PriceWan { get; init; }

    [Id(32)]
    public bool UseFirstPayLater { get; init; }

    /// <summary>The view of a row; <paramref name="organisation"/> when the row's navigation is not loaded.</summary>
    public static ListingView From(Listing l, Organisation? organisation = null)
    {
        ArgumentNullException.ThrowIfNull(l);
        var org = organisation ?? l.Organisation;
        var view = new ListingView
        {
            Id = l.Id,
            Kind = l is Need ? "need" : "achievement",
            Title = l.Title,
            Summary = l.Summary,
            Keywords = l.Keywords,
            Field = l.Field,
            TransferModes = [.. Labels.TransferModeLabels.Where(t => l.TransferModes.HasFlag(t.Mode)).Select(t => t.Label)],
            Status = l.Status.ToString(),
            StatusLabel = Labels.Of(l.Status),
            ReviewNote = l.ReviewNote,
            OrganisationId = l.OrganisationId,
            OrganisationName = org?.Name ?? "",
            District = org?.District ?? "",
            ContactName = l.ContactName,
            ContactPhone = l.ContactPhone,
            CreatedAt = l.CreatedAt,
            UpdatedAt = l.UpdatedAt,
            PublishedAt = l.PublishedAt,
            IsDemo = l.IsDemo,
            Version = l.Version,
        };
        return l switch
        {
            Need n => view with
            {
                Problem = n.Problem,
                KeyPoints = n.KeyPoints,
                Targets = n.Targets,
                BudgetWan = n.BudgetWan,
                ValidUntil = n.ValidUntil,
                IsChallenge = n.IsChallenge,
                BountyWan = n.BountyWan,
                ChallengeDeadline = n.ChallengeDeadline,
                Maturity = n.MaturityWanted == Data.Model.Maturity.Unspecified ? null : Labels.Of(n.MaturityWanted),
            },
            Achievement a => view with
            {
                Maturity = a.Maturity == Data.Model.Maturity.Unspecified ? null : Labels.Of(a.Maturity),
                Trl = a.Trl,
                IntellectualProperty = a.IntellectualProperty,
                PriceWan = a.PriceWan,
                UseFirstPayLater = a.UseFirstPayLater,
            },
            _ => view,
        };
    }
}
