using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Server.Features.Listings;

/// <summary>A need or achievement as the API and the UI show it.</summary>
internal sealed record ListingView
{
    public long Id { get; init; }

    public required string Kind { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    public required string Keywords { get; init; }

    public required string Field { get; init; }

    public required IReadOnlyList<string> TransferModes { get; init; }

    public required string Status { get; init; }

    public required string StatusLabel { get; init; }

    public string? ReviewNote { get; init; }

    public long OrganisationId { get; init; }

    public required string OrganisationName { get; init; }

    public required string District { get; init; }

    public required string ContactName { get; init; }

    public required string ContactPhone { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? PublishedAt { get; init; }

    public bool IsDemo { get; init; }

    public long Version { get; init; }

    public string? Problem { get; init; }

    public string? KeyPoints { get; init; }

    public string? Targets { get; init; }

    public decimal? BudgetWan { get; init; }

    public DateOnly? ValidUntil { get; init; }

    public bool IsChallenge { get; init; }

    public decimal? BountyWan { get; init; }

    public DateOnly? ChallengeDeadline { get; init; }

    public string? Maturity { get; init; }

    public int? Trl { get; init; }

    public string? IntellectualProperty { get; init; }

    public decimal? PriceWan { get; init; }

    public bool UseFirstPayLater { get; init; }

    public static ListingView From(Listing l)
    {
        var org = l.Organisation;
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

/// <summary>One page of a list.</summary>
internal sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Filters for browsing published listings.</summary>
internal sealed record ListingFilter
{
    public string? Q { get; init; }

    public string? Field { get; init; }

    public string? District { get; init; }

    public string? Maturity { get; init; }

    public string? Mode { get; init; }

    public bool? Challenge { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 20;
}
