using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Events;

namespace TechMarket.Server.Features.Events;

/// <summary>An organisation approved for at least one event of a campaign (the participants figure).</summary>
internal sealed record ParticipantRecord(long OrganisationId, string Name, string KindLabel, string District, IReadOnlyList<string> Events, bool IsDemo);

/// <summary>A meeting counted by a campaign: organisation names and outcomes only, never the messages.</summary>
internal sealed record MeetingRecord(
    long Id, long EventId, string EventTitle, DateTime? StartsAt, int? Slot, int? Table, string RequesterName, string TargetName,
    string OriginLabel, string RequesterOutcomeLabel, string TargetOutcomeLabel, string OutcomeLabel);

/// <summary>The records behind one figure of a campaign's progress; <see cref="Count"/> equals the figure.</summary>
internal sealed record CampaignRecords(
    long CampaignId, string CampaignName, bool IsDemo, string Figure, string FigureLabel, int Count,
    IReadOnlyList<EventView> Events, IReadOnlyList<ParticipantRecord> Participants, IReadOnlyList<MeetingRecord> Meetings);

/// <summary>
/// What a campaign has reached, from what the events record. A meeting counts (洽谈) when it was accepted by both
/// sides, placed in the schedule, at an event of the campaign marked 已举办, neither side was marked absent and
/// neither side recorded 未进行. Its outcome is the lower of the two sides' recorded outcomes (as for the match, see
/// <see cref="EventScheduling.TargetState"/>): 达成意向 or 签约 makes it an agreement, 签约 a deal.
/// </summary>
internal static class CampaignProgress
{
    public const string EventsFigure = "events";
    public const string ParticipantsFigure = "participants";
    public const string MeetingsFigure = "meetings";
    public const string AgreementsFigure = "agreements";
    public const string DealsFigure = "deals";

    public static readonly IReadOnlyList<string> Figures = [EventsFigure, ParticipantsFigure, MeetingsFigure, AgreementsFigure, DealsFigure];

    public static string Label(string figure) => figure switch
    {
        EventsFigure => "活动场次",
        ParticipantsFigure => "参加单位",
        MeetingsFigure => "洽谈场次",
        AgreementsFigure => "达成意向",
        DealsFigure => "签约",
        _ => figure,
    };

    /// <summary>The lower of the two recorded outcomes (None when neither side recorded one).</summary>
    public static MeetingOutcome Combined(MeetingOutcome a, MeetingOutcome b) =>
        a == MeetingOutcome.None ? b : b == MeetingOutcome.None ? a : (MeetingOutcome)Math.Min((int)a, (int)b);

    public static bool IsAgreement(MeetingOutcome combined) => combined >= MeetingOutcome.Intention;

    public static bool IsDeal(MeetingOutcome combined) => combined == MeetingOutcome.Contracted;

    /// <summary>The events figure: the campaign's events that are open, closed for registration or held.</summary>
    public static bool CountsAsEvent(string status) => status is nameof(EventStatus.Open) or nameof(EventStatus.Closed) or nameof(EventStatus.Held);

    internal sealed record CountedMeeting(long CampaignId, EventMeeting Meeting, MeetingOutcome Outcome);

    /// <summary>The meetings counted anywhere (see the class summary): the campaigns' and the dashboard's rule.</summary>
    public static IQueryable<EventMeeting> Counted(MarketDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EventMeetings.AsNoTracking()
            .Where(m => m.Status == MeetingStatus.Accepted && m.Slot != null && m.Table != null
                && m.RequesterOutcome != MeetingOutcome.NotHeld && m.TargetOutcome != MeetingOutcome.NotHeld
                && !m.Requester!.NoShow && !m.Target!.NoShow
                && db.Events.Any(e => e.Id == m.EventId && e.Status == EventStatus.Held));
    }

    /// <summary>The meetings counted for <paramref name="campaignIds"/> (see the class summary).</summary>
    public static async Task<List<CountedMeeting>> MeetingsAsync(MarketDb db, IReadOnlyCollection<long> campaignIds, bool withOrganisations, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var held = db.Events.AsNoTracking().Where(e => e.Status == EventStatus.Held && e.CampaignId != null && campaignIds.Contains(e.CampaignId.Value));
        var meetings = Counted(db);
        if (withOrganisations)
        {
            meetings = meetings.Include(m => m.Requester!).ThenInclude(r => r.Organisation).Include(m => m.Target!).ThenInclude(r => r.Organisation);
        }

        var rows = await meetings
            .Join(held, m => m.EventId, e => e.Id, (m, e) => new { CampaignId = e.CampaignId!.Value, Meeting = m })
            .ToListAsync(ct);
        return [.. rows.Select(r => new CountedMeeting(r.CampaignId, r.Meeting, Combined(r.Meeting.RequesterOutcome, r.Meeting.TargetOutcome)))];
    }

    /// <summary>The approved registrations behind the participants figure.</summary>
    private static IQueryable<EventRegistration> Approved(MarketDb db, IReadOnlyCollection<long> campaignIds) =>
        db.EventRegistrations.AsNoTracking().Where(r => r.Status == RegistrationStatus.Approved && r.Event!.CampaignId != null && campaignIds.Contains(r.Event.CampaignId.Value));

    /// <summary>Distinct (campaign, organisation) pairs of approved registrations.</summary>
    public static async Task<List<(long CampaignId, long OrganisationId)>> ParticipantsAsync(MarketDb db, IReadOnlyCollection<long> campaignIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await Approved(db, campaignIds).Select(r => new { CampaignId = r.Event!.CampaignId!.Value, r.OrganisationId }).Distinct().ToListAsync(ct);
        return [.. rows.Select(r => (r.CampaignId, r.OrganisationId))];
    }

    /// <summary>The records behind <paramref name="figure"/> of campaign <paramref name="id"/>; null when there is no such campaign.</summary>
    public static async Task<CampaignRecords?> RecordsAsync(MarketDb db, long id, string figure, bool withDrafts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return null;
        }

        long[] ids = [id];
        IReadOnlyList<EventView> events = [];
        IReadOnlyList<ParticipantRecord> participants = [];
        IReadOnlyList<MeetingRecord> meetings = [];
        switch (figure)
        {
            case EventsFigure:
                events = [.. (await EventEndpoints.EventsAsync(db, q => q.Where(e => e.CampaignId == id), ct)).Where(e => CountsAsEvent(e.Status))];
                break;
            case ParticipantsFigure:
                var regs = await Approved(db, ids).Include(r => r.Organisation).Include(r => r.Event).ToListAsync(ct);
                participants = [.. regs.GroupBy(r => r.OrganisationId).Select(g =>
                {
                    var org = g.First().Organisation!;
                    var titles = g.Select(r => r.Event!).Where(e => withDrafts || e.Status != EventStatus.Draft).OrderBy(e => e.StartsAt).Select(e => e.Title).Distinct().ToList();
                    return new ParticipantRecord(org.Id, org.Name, Labels.Of(org.Kind), org.District, titles, org.IsDemo);
                }).OrderBy(p => p.Name, StringComparer.Ordinal)];
                break;
            case MeetingsFigure or AgreementsFigure or DealsFigure:
                var counted = (await MeetingsAsync(db, ids, true, ct))
                    .Where(m => figure == MeetingsFigure || (figure == AgreementsFigure ? IsAgreement(m.Outcome) : IsDeal(m.Outcome))).ToList();
                var eventIds = counted.Select(m => m.Meeting.EventId).Distinct().ToList();
                var byId = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
                meetings = [.. counted.Select(c =>
                {
                    var m = c.Meeting;
                    var ev = byId[m.EventId];
                    return new MeetingRecord(m.Id, m.EventId, ev.Title, EventScheduling.SlotStart(ev, m.Slot!.Value), m.Slot, m.Table,
                        m.Requester?.Organisation?.Name ?? "", m.Target?.Organisation?.Name ?? "", Labels.Of(m.Origin),
                        Labels.Of(m.RequesterOutcome), Labels.Of(m.TargetOutcome), Labels.Of(c.Outcome));
                }).OrderBy(m => m.StartsAt).ThenBy(m => m.EventId).ThenBy(m => m.Table).ThenBy(m => m.Id)];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(figure), figure, "unknown figure");
        }

        var count = figure switch
        {
            EventsFigure => events.Count,
            ParticipantsFigure => participants.Count,
            _ => meetings.Count,
        };
        return new CampaignRecords(campaign.Id, campaign.Name, campaign.IsDemo, figure, Label(figure), count, events, participants, meetings);
    }
}
