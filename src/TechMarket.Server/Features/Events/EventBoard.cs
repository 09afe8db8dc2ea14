using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Events;
using TechMarket.Market.Matching;
using TechMarket.Matching;
using TechMarket.Scheduling;
using TechMarket.Search;
using TechMarket.Server.Features.Matching;

namespace TechMarket.Server.Features.Events;

/// <summary>One slot of the organisers' schedule board: its time, the meetings at its tables, and what is free.</summary>
internal sealed record BoardSlot(int Slot, DateTime StartsAt, DateTime EndsAt, IReadOnlyList<MeetingView> Meetings, IReadOnlyList<int> FreeTables, IReadOnlyList<long> FreeParticipants);

/// <summary>The organisers' view of the schedule: slots × tables, what could not be placed and why, and who is here.</summary>
internal sealed record ScheduleBoard(ScheduleStatus Status, IReadOnlyList<BoardSlot> Slots, IReadOnlyList<MeetingView> Unplaced, IReadOnlyList<MeetingView> Waiting, IReadOnlyList<RegistrationView> Participants);

/// <summary>One line of a personal agenda (个人日程).</summary>
internal sealed record AgendaLine(long MeetingId, int Slot, int Table, DateTime StartsAt, DateTime EndsAt, long PartnerRegistrationId, string PartnerName, string PartnerKind, string Message, string MyOutcome, string TheirOutcome);

/// <summary>A participant's agenda at an event, with the check-in code and what is still unplaced.</summary>
internal sealed record PersonalAgenda(long EventId, string EventTitle, string Venue, DateTime StartsAt, string ScheduleKind, string ScheduleKindLabel, long RegistrationId, string OrganisationName, string CheckInCode, IReadOnlyList<AgendaLine> Lines, IReadOnlyList<MeetingView> Unplaced);

/// <summary>The read side of events' meetings (lists span many rows: the tables, never the grains), and the organisers' proposals from the matching pipeline.</summary>
internal sealed class EventBoard(MarketDb db, SqlSearchIndex index, MatchModelHolder models)
{
    /// <summary>The meetings <paramref name="actor"/> may see: organisers all, members their organisation's.</summary>
    public async Task<List<MeetingView>> MeetingsAsync(MarketEvent ev, Actor actor, CancellationToken ct)
    {
        var mine = actor.IsReviewer ? null : await MyRegistrationIdAsync(ev.Id, actor, ct);
        if (!actor.IsReviewer && mine is null)
        {
            return [];
        }

        var rows = await db.EventMeetings.AsNoTracking().Include(m => m.Requester!).ThenInclude(r => r.Organisation).Include(m => m.Target!).ThenInclude(r => r.Organisation)
            .Where(m => m.EventId == ev.Id && (mine == null || m.RequesterId == mine || m.TargetId == mine)).OrderBy(m => m.Id).ToListAsync(ct);
        return [.. rows.Select(m => EventScheduling.View(m, ev, m.Requester!.Organisation!.Name, m.Target!.Organisation!.Name))];
    }

    public async Task<long?> MyRegistrationIdAsync(long eventId, Actor actor, CancellationToken ct) =>
        actor.OrganisationId is { } org
            ? await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == eventId && r.OrganisationId == org && r.Status == RegistrationStatus.Approved).Select(r => (long?)r.Id).SingleOrDefaultAsync(ct)
            : null;

    public async Task<ScheduleBoard> BoardAsync(MarketEvent ev, ScheduleStatus status, Actor actor, CancellationToken ct)
    {
        var meetings = await MeetingsAsync(ev, actor, ct);
        // Only organisers see who takes part, their check-in state and the free places; a member sees its own meetings.
        var regs = actor.IsReviewer
            ? await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation)
                .Where(r => r.EventId == ev.Id && r.Status == RegistrationStatus.Approved).OrderBy(r => r.Id).ToListAsync(ct)
            : [];
        var accepted = meetings.Where(m => m.Status == nameof(MeetingStatus.Accepted)).ToList();
        var slots = Enumerable.Range(0, ev.SlotCount).Select(s =>
        {
            var here = accepted.Where(m => m.Slot == s).OrderBy(m => m.Table).ToList();
            var busy = here.SelectMany(m => new[] { m.RequesterId, m.TargetId }).ToHashSet();
            return new BoardSlot(s, EventScheduling.SlotStart(ev, s), EventScheduling.SlotStart(ev, s + 1),
                here,
                actor.IsReviewer ? [.. Enumerable.Range(0, ev.Tables).Where(t => here.All(m => m.Table != t))] : [],
                [.. regs.Where(r => !r.NoShow && !busy.Contains(r.Id)).Select(r => r.Id)]);
        }).ToList();
        return new ScheduleBoard(status, slots,
            [.. accepted.Where(m => m.Slot is null)],
            [.. meetings.Where(m => m.Status is nameof(MeetingStatus.Requested) or nameof(MeetingStatus.Countered))],
            [.. regs.Select(r => EventRules.View(r, r.Organisation))]);
    }

    /// <summary>The agenda of one approved registration, or null.</summary>
    public async Task<PersonalAgenda?> AgendaAsync(MarketEvent ev, long registrationId, CancellationToken ct)
    {
        var reg = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation)
            .SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == ev.Id && r.Status == RegistrationStatus.Approved, ct);
        if (reg is null)
        {
            return null;
        }

        var rows = await db.EventMeetings.AsNoTracking().Include(m => m.Requester!).ThenInclude(r => r.Organisation).Include(m => m.Target!).ThenInclude(r => r.Organisation)
            .Where(m => m.EventId == ev.Id && m.Status == MeetingStatus.Accepted && (m.RequesterId == reg.Id || m.TargetId == reg.Id)).ToListAsync(ct);
        var lines = rows.Where(m => m.Slot is not null && m.Table is not null).OrderBy(m => m.Slot).Select(m =>
        {
            var mineIsRequester = m.RequesterId == reg.Id;
            var partner = mineIsRequester ? m.Target! : m.Requester!;
            return new AgendaLine(m.Id, m.Slot!.Value, m.Table!.Value, EventScheduling.SlotStart(ev, m.Slot.Value), EventScheduling.SlotStart(ev, m.Slot.Value + 1),
                partner.Id, partner.Organisation!.Name, Labels.Of(partner.Organisation.Kind), m.Message,
                (mineIsRequester ? m.RequesterOutcome : m.TargetOutcome).ToString(), (mineIsRequester ? m.TargetOutcome : m.RequesterOutcome).ToString());
        }).ToList();
        return new PersonalAgenda(ev.Id, ev.Title, ev.Venue, ev.StartsAt, ev.ScheduleKind.ToString(), Labels.Of(ev.ScheduleKind), reg.Id, reg.Organisation!.Name, reg.CheckInCode, lines,
            [.. rows.Where(m => m.Slot is null).Select(m => EventScheduling.View(m, ev, m.Requester!.Organisation!.Name, m.Target!.Organisation!.Name))]);
    }

    /// <summary>The participant's agenda as iCalendar, through the scheduling library's Ical.Net writer.</summary>
    public static string AgendaIcs(PersonalAgenda agenda, TimeProvider time)
    {
        var items = agenda.Lines.Select(l => new AgendaItem(l.Slot, l.Table, l.PartnerName, new DateTimeOffset(l.StartsAt, TimeSpan.Zero), new DateTimeOffset(l.EndsAt, TimeSpan.Zero), (int)l.MeetingId)).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { [$"r{agenda.RegistrationId}"] = agenda.OrganisationName };
        return new IcsWriter(time).Write(new Agenda($"r{agenda.RegistrationId}", items), new IcsEventInfo($"event{agenda.EventId}", agenda.EventTitle, agenda.Venue),
            id => names.GetValueOrDefault(id, id));
    }

    /// <summary>The event itself as iCalendar, and for organisers every placed meeting.</summary>
    public async Task<string> EventIcsAsync(MarketEvent ev, bool withMeetings, TimeProvider time, CancellationToken ct)
    {
        var start = new DateTimeOffset(ev.StartsAt, TimeSpan.Zero);
        var end = ev.SlotCount > 0 ? new DateTimeOffset(EventScheduling.SlotStart(ev, ev.SlotCount), TimeSpan.Zero) : start.AddHours(3);
        var entries = new List<IcsEntry> { new($"event{ev.Id}@techmarket", start, end, ev.Title, ev.Venue, $"{Labels.Of(ev.Format)}：{ev.Theme}") };
        if (withMeetings)
        {
            var rows = await db.EventMeetings.AsNoTracking().Include(m => m.Requester!).ThenInclude(r => r.Organisation).Include(m => m.Target!).ThenInclude(r => r.Organisation)
                .Where(m => m.EventId == ev.Id && m.Status == MeetingStatus.Accepted && m.Slot != null).OrderBy(m => m.Slot).ThenBy(m => m.Table).ToListAsync(ct);
            entries.AddRange(rows.Select(m => new IcsEntry($"event{ev.Id}-meeting{m.Id}@techmarket",
                new DateTimeOffset(EventScheduling.SlotStart(ev, m.Slot!.Value), TimeSpan.Zero), new DateTimeOffset(EventScheduling.SlotStart(ev, m.Slot.Value + 1), TimeSpan.Zero),
                $"{m.Table + 1}号桌：{m.Requester!.Organisation!.Name} × {m.Target!.Organisation!.Name}", $"{ev.Venue}，{m.Table + 1}号桌", null)));
        }

        return new IcsWriter(time).WriteCalendar(ev.Title, entries);
    }

    /// <summary>
    /// Proposals for the approved enterprises and institutes: each enterprise's needs (those it brings, else its
    /// latest published ones) through the matching pipeline, kept where the achievement's organisation is an approved
    /// institute here; the best pair per enterprise × institute, the <paramref name="perEnterprise"/> best per enterprise.
    /// </summary>
    public async Task<List<Market.Contracts.MeetingProposal>> ProposalsAsync(long eventId, int perEnterprise, CancellationToken ct)
    {
        var regs = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation)
            .Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Approved).ToListAsync(ct);
        var institutes = regs.Where(r => r.Organisation!.Kind == OrganisationKind.Institute).ToDictionary(r => r.OrganisationId);
        if (institutes.Count == 0)
        {
            return [];
        }

        // Cross-event de-duplication: organisations that met at an earlier event of the same campaign are not
        // proposed again (either of them may still ask).
        var met = new HashSet<(long, long)>();
        if (await db.Events.AsNoTracking().Where(e => e.Id == eventId).Select(e => new { e.CampaignId, e.StartsAt }).SingleOrDefaultAsync(ct) is { CampaignId: { } campaign } here)
        {
            var earlier = await db.EventMeetings.AsNoTracking()
                .Where(m => m.Status == MeetingStatus.Accepted && m.Slot != null && m.EventId != eventId)
                .Join(db.Events.Where(e => e.CampaignId == campaign && e.StartsAt < here.StartsAt), m => m.EventId, e => e.Id, (m, _) => new { A = m.Requester!.OrganisationId, B = m.Target!.OrganisationId })
                .ToListAsync(ct);
            met.UnionWith(earlier.Select(p => p.A < p.B ? (p.A, p.B) : (p.B, p.A)));
        }

        var pipeline = new MatchPipeline(index, new MatchCatalog(db), () => models.Current);
        var proposals = new List<Market.Contracts.MeetingProposal>();
        foreach (var reg in regs.Where(r => r.Organisation!.Kind == OrganisationKind.Enterprise))
        {
            var brought = reg.ListingIds.Length == 0 ? [] : reg.ListingIds.Split(',').Select(long.Parse).ToList();
            var needs = await db.Needs.AsNoTracking().Include(n => n.Organisation)
                .Where(n => n.OrganisationId == reg.OrganisationId && n.Status == ListingStatus.Published && (brought.Count == 0 || brought.Contains(n.Id)))
                .OrderByDescending(n => n.PublishedAt).Take(5).ToListAsync(ct);
            var best = new Dictionary<long, (double Score, Need Need, MatchSuggestion S)>();
            foreach (var need in needs)
            {
                foreach (var s in await pipeline.SuggestAsync(MatchCatalog.Side(need), new MatchOptions { Top = 200, WithReasons = false, ExcludeOrganisationId = need.OrganisationId }, ct))
                {
                    var pair = reg.OrganisationId < s.Candidate.OrganisationId ? (reg.OrganisationId, s.Candidate.OrganisationId) : (s.Candidate.OrganisationId, reg.OrganisationId);
                    if (institutes.ContainsKey(s.Candidate.OrganisationId) && !met.Contains(pair) && (!best.TryGetValue(s.Candidate.OrganisationId, out var b) || s.Score > b.Score))
                    {
                        best[s.Candidate.OrganisationId] = (s.Score, need, s);
                    }
                }
            }

            proposals.AddRange(best.OrderByDescending(b => b.Value.Score).Take(perEnterprise).Select(b => new Market.Contracts.MeetingProposal
            {
                RequesterRegistrationId = reg.Id,
                TargetRegistrationId = institutes[b.Key].Id,
                MatchScore = b.Value.Score,
                NeedId = b.Value.Need.Id,
                AchievementId = b.Value.S.Candidate.Id,
                Reason = $"组织方推荐：需求「{b.Value.Need.Title}」与成果「{b.Value.S.Candidate.Title}」匹配",
            }));
        }

        return proposals;
    }
}
