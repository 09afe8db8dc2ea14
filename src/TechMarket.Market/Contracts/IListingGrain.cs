using TechMarket.Data.Rules;

namespace TechMarket.Market.Contracts;

/// <summary>Which kind of listing an address names (needs or achievements); a need's id under /api/achievements is not found.</summary>
[GenerateSerializer]
public enum ListingType
{
    Any = 0,
    Need = 1,
    Achievement = 2,
}

/// <summary>
/// One need or achievement (keyed by its row id): the only way its row is changed. Holds the lifecycle
/// (draft → submitted → published or returned with reasons → withdrawn / closed / expired), who may make each
/// step, and the version check that answers 409. Reads of many listings go to the tables and the search index.
/// Every call takes the version the caller last saw (If-Match).
/// </summary>
public interface IListingGrain : IGrainWithIntegerKey
{
    Task<OpResult<ListingView>> UpdateAsync(Actor actor, ListingType kind, long expectedVersion, ListingInput input);

    Task<OpResult<ListingView>> SubmitAsync(Actor actor, ListingType kind, long expectedVersion);

    Task<OpResult<ListingView>> WithdrawAsync(Actor actor, ListingType kind, long expectedVersion);

    Task<OpResult<ListingView>> CloseAsync(Actor actor, ListingType kind, long expectedVersion);

    /// <summary>Deletes a draft (only drafts: submitted listings are withdrawn instead).</summary>
    Task<OpResult<bool>> DeleteDraftAsync(Actor actor, ListingType kind, long expectedVersion);

    /// <summary>A reviewer publishes a submitted listing or returns it with reasons (整改意见).</summary>
    Task<OpResult<ListingView>> ReviewAsync(Actor actor, long expectedVersion, bool publish, string? note);

    /// <summary>
    /// Makes sure what is due later is scheduled (a published need's 需求时限 as a reminder) and expires the
    /// listing at once when it is already past due. Idempotent; used for rows written without the grain (the demo
    /// seed, databases from before reminders).
    /// </summary>
    Task EnsureScheduledAsync();
}
