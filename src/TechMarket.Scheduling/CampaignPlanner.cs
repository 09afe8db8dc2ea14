using System.Globalization;

namespace TechMarket.Scheduling;

/// <summary>One event of a campaign (百日百场 场次).</summary>
/// <param name="Id">Unique id.</param>
/// <param name="Date">The day it is held.</param>
/// <param name="Capacity">Most participants it can hold.</param>
public sealed record CampaignEvent(string Id, DateOnly Date, int Capacity);

/// <summary>A participant of a campaign.</summary>
/// <param name="Id">Unique id.</param>
/// <param name="Side">Market side.</param>
/// <param name="MaxEvents">Most events the participant attends.</param>
/// <param name="AvailableDates">Days the participant can come; <c>null</c> means any day.</param>
public sealed record CampaignParticipant(string Id, ParticipantSide Side = ParticipantSide.Other, int MaxEvents = 1, IReadOnlyList<DateOnly>? AvailableDates = null);

/// <summary>How well a participant fits an event; only listed pairs may be assigned.</summary>
public sealed record Affinity(string Participant, string Event, double Score);

/// <summary>Everything the campaign planner needs.</summary>
public sealed record CampaignInput(IReadOnlyList<CampaignEvent> Events, IReadOnlyList<CampaignParticipant> Participants, IReadOnlyList<Affinity> Affinities);

/// <summary>A participant sent to an event.</summary>
public sealed record CampaignAssignment(string Participant, string Event, double Score);

/// <summary>The assignment of participants to the events of a campaign.</summary>
/// <param name="Assignments">Ordered by event date, event id, then participant id.</param>
/// <param name="TotalScore">Sum of the assigned pairs' affinity: the maximum possible.</param>
public sealed record CampaignPlan(IReadOnlyList<CampaignAssignment> Assignments, double TotalScore);

/// <summary>
/// Assigns participants to campaign events, maximising total affinity exactly by min-cost flow:
/// each participant supplies MaxEvents units, which go participant → participant-on-a-date (at
/// most one event per day) → event (the listed affinity) → sink (at most Capacity), or straight
/// to the sink at no gain.
/// </summary>
public sealed class CampaignPlanner
{
    private readonly TimeProvider _time;

    /// <summary>Creates a planner.</summary>
    /// <param name="time">Clock, kept for planning relative to today; defaults to the system clock.</param>
    public CampaignPlanner(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Plans the campaign.</summary>
    /// <param name="input">Events, participants and affinities.</param>
    /// <param name="skipPastEvents">Leave out events dated before today (by the planner's clock).</param>
    /// <exception cref="ScheduleInputException">Invalid input; the message names the offending item.</exception>
    public CampaignPlan Plan(CampaignInput input, bool skipPastEvents = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var events = input.Events ?? throw new ScheduleInputException("缺少场次列表（events）");
        var participants = input.Participants ?? throw new ScheduleInputException("缺少参与方列表（participants）");
        var affinities = input.Affinities ?? throw new ScheduleInputException("缺少匹配度列表（affinity）");
        var today = DateOnly.FromDateTime(_time.GetLocalNow().DateTime);

        var eventIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var ev = events[i] ?? throw new ScheduleInputException($"第{i + 1}个场次为空");
            if (string.IsNullOrWhiteSpace(ev.Id))
            {
                throw new ScheduleInputException($"第{i + 1}个场次缺少ID");
            }

            if (!eventIndex.TryAdd(ev.Id, i))
            {
                throw new ScheduleInputException($"场次ID重复：{ev.Id}");
            }

            if (ev.Capacity < 0)
            {
                throw new ScheduleInputException($"场次{ev.Id}的容量（capacity）不能为负数：{ev.Capacity}");
            }
        }

        var participantIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < participants.Count; i++)
        {
            var p = participants[i] ?? throw new ScheduleInputException($"第{i + 1}个参与方为空");
            if (string.IsNullOrWhiteSpace(p.Id))
            {
                throw new ScheduleInputException($"第{i + 1}个参与方缺少ID");
            }

            if (!participantIndex.TryAdd(p.Id, i))
            {
                throw new ScheduleInputException($"参与方ID重复：{p.Id}");
            }

            if (p.MaxEvents < 0)
            {
                throw new ScheduleInputException($"参与方{p.Id}的场次上限（maxEvents）不能为负数：{p.MaxEvents}");
            }
        }

        var usable = new List<(int P, int E, double Score)>();
        var seen = new HashSet<(int, int)>();
        for (var i = 0; i < affinities.Count; i++)
        {
            var a = affinities[i] ?? throw new ScheduleInputException($"第{i + 1}条匹配度为空");
            if (a.Participant is null || !participantIndex.TryGetValue(a.Participant, out var p))
            {
                throw new ScheduleInputException($"第{i + 1}条匹配度引用了不存在的参与方：{a.Participant}");
            }

            if (a.Event is null || !eventIndex.TryGetValue(a.Event, out var e))
            {
                throw new ScheduleInputException($"第{i + 1}条匹配度引用了不存在的场次：{a.Event}");
            }

            if (!double.IsFinite(a.Score) || a.Score < 0 || a.Score > 1e6)
            {
                throw new ScheduleInputException($"第{i + 1}条匹配度（{a.Participant}—{a.Event}）的分值无效：{a.Score.ToString(CultureInfo.InvariantCulture)}（应为0到100万之间的数）");
            }

            if (!seen.Add((p, e)))
            {
                throw new ScheduleInputException($"第{i + 1}条匹配度重复：{a.Participant}—{a.Event}");
            }

            var dates = participants[p].AvailableDates;
            if ((dates is null || dates.Contains(events[e].Date)) && !(skipPastEvents && events[e].Date < today))
            {
                usable.Add((p, e, a.Score));
            }
        }

        var (weight, _, _) = MeetingSelector.Weights([.. usable.Select(x => x.Score)]);
        var nP = participants.Count;
        var nE = events.Count;
        var perDay = new Dictionary<(int P, DateOnly Day), int>();
        foreach (var (p, e, _) in usable)
        {
            var key = (p, events[e].Date);
            perDay[key] = perDay.GetValueOrDefault(key) + 1;
        }

        var dayNode = new Dictionary<(int P, DateOnly Day), int>();
        var nodes = nP + nE + 1;
        foreach (var (key, count) in perDay)
        {
            if (count > 1)
            {
                dayNode[key] = nodes++;
            }
        }

        var sink = nP + nE;
        var flow = new MinCostFlow(nodes);
        var supplies = new List<(int Node, int Amount)>();
        for (var p = 0; p < nP; p++)
        {
            // The zero-cost bypass lets a participant attend fewer events than its maximum.
            flow.AddEdge(p, sink, participants[p].MaxEvents, 0);
            supplies.Add((p, participants[p].MaxEvents));
        }

        foreach (var (key, node) in dayNode)
        {
            flow.AddEdge(key.P, node, 1, 0);
        }

        for (var e = 0; e < nE; e++)
        {
            flow.AddEdge(nP + e, sink, events[e].Capacity, 0);
        }

        var arcs = new int[usable.Count];
        for (var i = 0; i < usable.Count; i++)
        {
            var (p, e, _) = usable[i];
            var from = dayNode.TryGetValue((p, events[e].Date), out var node) ? node : p;
            arcs[i] = flow.AddEdge(from, nP + e, 1, -weight[i]);
        }

        flow.RouteSupplies(supplies, sink);
        var assignments = new List<CampaignAssignment>();
        double total = 0;
        for (var i = 0; i < usable.Count; i++)
        {
            if (flow.FlowOn(arcs[i]) > 0)
            {
                var (p, e, score) = usable[i];
                assignments.Add(new CampaignAssignment(participants[p].Id, events[e].Id, score));
                total += score;
            }
        }

        var order = assignments
            .OrderBy(a => events[eventIndex[a.Event]].Date)
            .ThenBy(a => a.Event, StringComparer.Ordinal)
            .ThenBy(a => a.Participant, StringComparer.Ordinal)
            .ToList();
        return new CampaignPlan(order, total);
    }
}
