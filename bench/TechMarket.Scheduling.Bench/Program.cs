using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TechMarket.Scheduling;

// Speed and quality figures for docs/scheduling.md. Run in Release:
//   dotnet run -c Release --project bench/TechMarket.Scheduling.Bench [-- --write-json DIR]
var writeDir = args.Length == 2 && args[0] == "--write-json" ? args[1] : null;
var scheduler = new MeetingScheduler();

var eventInput = BenchData.Event(new Random(1), participants: 300, requests: 2000, slots: 12, tables: 40);
var times = new List<double>();
ScheduleResult? result = null;
for (var run = 0; run < 7; run++)
{
    var sw = Stopwatch.StartNew();
    result = scheduler.Schedule(eventInput);
    times.Add(sw.Elapsed.TotalMilliseconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"event 300p/2000r/12s/40t: first {times[0]:F0} ms, median of last 6 {Median(times.Skip(1)):F0} ms; placed {result!.Meetings.Count}, unplaced {result.Unplaced.Count}, slots {result.SlotsUsed}, total {result.TotalScore:F2}, bound {result.Stats.UpperBound:F2}, exact {result.Stats.ExactSelection}, idle {result.Stats.IdleGaps}"));

var roomy = BenchData.Event(new Random(1), participants: 300, requests: 2000, slots: 12, tables: 150);
var sw2 = Stopwatch.StartNew();
var roomyResult = scheduler.Schedule(roomy);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"event 300p/2000r/12s/150t (room not binding): {sw2.Elapsed.TotalMilliseconds:F0} ms; placed {roomyResult.Meetings.Count}, unplaced {roomyResult.Unplaced.Count}, slots {roomyResult.SlotsUsed}, total {roomyResult.TotalScore:F2}, bound {roomyResult.Stats.UpperBound:F2}, idle {roomyResult.Stats.IdleGaps}; first-fit places {FirstFitBaseline.Place(roomy)}"));

var loose = new MeetingScheduler(new SchedulerOptions(CompactGaps: false)).Schedule(eventInput);
Console.WriteLine($"idle gaps without compaction {loose.Stats.IdleGaps}, with {result.Stats.IdleGaps}; first-fit greedy places {FirstFitBaseline.Place(eventInput)}");

var campaign = BenchData.Campaign(new Random(2), events: 100, participants: 5000);
var planner = new CampaignPlanner();
var ctimes = new List<double>();
CampaignPlan? plan = null;
for (var run = 0; run < 3; run++)
{
    var sw = Stopwatch.StartNew();
    plan = planner.Plan(campaign);
    ctimes.Add(sw.Elapsed.TotalMilliseconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"campaign 100 events/5000 participants/{campaign.Affinities.Count} affinities: first {ctimes[0]:F0} ms, median of last 2 {Median(ctimes.Skip(1)):F0} ms; assignments {plan!.Assignments.Count}, total {plan.TotalScore:F2}"));

foreach (var (n, d) in new[] { (30, 12), (60, 16), (100, 20) })
{
    var fixture = TechMarket.Scheduling.Tests.RegularBipartite.Build(n, d, n + d);
    var sw = Stopwatch.StartNew();
    var r = scheduler.Schedule(fixture);
    var ms = sw.Elapsed.TotalMilliseconds;
    var greedy = FirstFitBaseline.Place(fixture);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"regular {n}x{n} d={d}: scheduler {r.Meetings.Count}/{n * d} in {r.SlotsUsed} slots ({ms:F0} ms); first-fit {greedy}/{n * d} (loses {100.0 * (n * d - greedy) / (n * d):F1}%)"));
}

double total = 0;
double bound = 0;
for (var seed = 0; seed < 50; seed++)
{
    var g = BenchData.General(new Random(seed), 300, 2000, 12, 40);
    var r = scheduler.Schedule(g);
    total += r.TotalScore;
    bound += r.Stats.UpperBound;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"general 300p/2000r x50 seeds: total/doubled bound = {total / bound:F4}"));

if (writeDir is not null)
{
    Directory.CreateDirectory(writeDir);
    File.WriteAllText(Path.Combine(writeDir, "event.json"), BenchData.EventJson(eventInput));
    File.WriteAllText(Path.Combine(writeDir, "campaign.json"), BenchData.CampaignJson(campaign));
    Console.WriteLine($"wrote {writeDir}/event.json and campaign.json");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted[sorted.Length / 2];
}

internal static class BenchData
{
    public static EventInput Event(Random rng, int participants, int requests, int slots, int tables)
    {
        var half = participants / 2;
        var people = new List<Participant>();
        for (var i = 0; i < participants; i++)
        {
            var side = i < half ? ParticipantSide.Enterprise : ParticipantSide.Institute;
            var unavailable = Enumerable.Range(0, slots).Where(_ => rng.NextDouble() < 0.1).ToList();
            people.Add(new Participant(i < half ? $"E{i}" : $"I{i - half}", side, rng.Next(6, slots + 1), unavailable));
        }

        var pairs = new HashSet<(int, int)>();
        var list = new List<MeetingRequest>();
        while (list.Count < requests)
        {
            var a = rng.Next(half);
            var b = rng.Next(participants - half);
            if (pairs.Add((a, b)))
            {
                list.Add(new MeetingRequest($"E{a}", $"I{b}", Math.Round(rng.NextDouble(), 3)));
            }
        }

        return new EventInput(slots, tables, people, list);
    }

    public static EventInput General(Random rng, int participants, int requests, int slots, int tables)
    {
        var people = Enumerable.Range(0, participants).Select(i => new Participant($"P{i}", ParticipantSide.Other, rng.Next(6, slots + 1))).ToList();
        var pairs = new HashSet<(int, int)>();
        var list = new List<MeetingRequest>();
        while (list.Count < requests)
        {
            var a = rng.Next(participants);
            var b = rng.Next(participants);
            if (a != b && pairs.Add((Math.Min(a, b), Math.Max(a, b))))
            {
                list.Add(new MeetingRequest($"P{a}", $"P{b}", Math.Round(rng.NextDouble(), 3)));
            }
        }

        return new EventInput(slots, tables, people, list);
    }

    public static CampaignInput Campaign(Random rng, int events, int participants)
    {
        var start = new DateOnly(2026, 3, 2);
        var evs = Enumerable.Range(0, events).Select(i => new CampaignEvent($"EV{i:D3}", start.AddDays(i * 2 + rng.Next(2)), rng.Next(80, 161))).ToList();
        var people = new List<CampaignParticipant>();
        var affinity = new List<Affinity>();
        for (var p = 0; p < participants; p++)
        {
            var dates = rng.NextDouble() < 0.5 ? null : evs.Select(e => e.Date).Distinct().Where(_ => rng.NextDouble() < 0.6).ToList();
            people.Add(new CampaignParticipant(p % 3 == 0 ? $"I{p}" : $"E{p}", p % 3 == 0 ? ParticipantSide.Institute : ParticipantSide.Enterprise, rng.Next(1, 4), dates));
            foreach (var e in Enumerable.Range(0, events).OrderBy(_ => rng.Next()).Take(rng.Next(5, 16)))
            {
                affinity.Add(new Affinity(people[^1].Id, evs[e].Id, Math.Round(rng.NextDouble(), 3)));
            }
        }

        return new CampaignInput(evs, people, affinity);
    }

    /// <summary>Same construction as the test fixtures: the union of d disjoint random perfect matchings.</summary>
    public static string EventJson(EventInput input) => JsonSerializer.Serialize(new
    {
        slots = input.Slots,
        tables = input.Tables,
        participants = input.Participants.Select(p => new { id = p.Id, side = p.Side.ToString().ToLowerInvariant(), maxMeetings = p.MaxMeetings, unavailableSlots = p.UnavailableSlots }),
        requests = input.Requests.Select(r => new { a = r.A, b = r.B, score = r.Score }),
    });

    public static string CampaignJson(CampaignInput input) => JsonSerializer.Serialize(new
    {
        events = input.Events.Select(e => new { id = e.Id, date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), capacity = e.Capacity }),
        participants = input.Participants.Select(p => new
        {
            id = p.Id,
            side = p.Side.ToString().ToLowerInvariant(),
            maxEvents = p.MaxEvents,
            availableDates = p.AvailableDates?.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        }),
        affinity = input.Affinities.Select(a => new { participant = a.Participant, @event = a.Event, score = a.Score }),
    });
}
