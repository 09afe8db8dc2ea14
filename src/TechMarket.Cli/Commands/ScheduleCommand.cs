using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TechMarket.Scheduling;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket schedule meetings|campaign --input FILE --output FILE</c> (see docs/contracts.md).
/// Extra options of <c>meetings</c>: <c>--stats</c> adds the quality figures to the output;
/// <c>--agenda-dir DIR</c> writes one .ics per participant, timed by <c>--start</c>
/// (ISO 8601 with offset), <c>--slot-minutes</c>, <c>--break-minutes</c>, named by
/// <c>--event-id</c>, <c>--title</c> and <c>--location</c>.
/// </summary>
internal static class ScheduleCommand
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            throw new CliException("缺少子命令：schedule meetings 或 schedule campaign");
        }

        var code = args[0] switch
        {
            "meetings" => Meetings(args[1..], TimeProvider.System),
            "campaign" => Campaign(args[1..]),
            _ => throw new CliException($"未知子命令：schedule {args[0]}（应为 meetings 或 campaign）"),
        };
        await Console.Out.FlushAsync();
        return code;
    }

    internal static int Meetings(string[] args, TimeProvider time)
    {
        var options = CliArgs.Parse(
            args,
            ["--input", "--output", "--agenda-dir", "--start", "--slot-minutes", "--break-minutes", "--event-id", "--title", "--location"],
            ["--stats"]);
        var inputPath = CliArgs.ExistingFile(options.Require("--input"));
        var outputPath = options.Require("--output");
        var input = ReadEvent(Parse(inputPath));
        ScheduleResult result;
        try
        {
            result = new MeetingScheduler().Schedule(input);
        }
        catch (ScheduleInputException ex)
        {
            throw new CliException(ex.Message);
        }

        WriteJson(outputPath, w => WriteSchedule(w, result, options.Has("--stats")));
        if (options.Get("--agenda-dir") is { } dir)
        {
            WriteAgendas(options, dir, result, time);
        }

        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"已安排{result.Meetings.Count}场会谈，未安排{result.Unplaced.Count}条请求，使用{result.SlotsUsed}个时段，总分{result.TotalScore:0.######}"));
        return 0;
    }

    internal static int Campaign(string[] args)
    {
        var options = CliArgs.Parse(args, ["--input", "--output"]);
        var inputPath = CliArgs.ExistingFile(options.Require("--input"));
        var outputPath = options.Require("--output");
        var input = ReadCampaign(Parse(inputPath));
        CampaignPlan plan;
        try
        {
            plan = new CampaignPlanner().Plan(input);
        }
        catch (ScheduleInputException ex)
        {
            throw new CliException(ex.Message);
        }

        WriteJson(outputPath, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("assignments");
            foreach (var a in plan.Assignments)
            {
                w.WriteStartObject();
                w.WriteString("participant", a.Participant);
                w.WriteString("event", a.Event);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("totalScore", Math.Round(plan.TotalScore, 9));
            w.WriteEndObject();
        });
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已分配{plan.Assignments.Count}人次，总匹配度{plan.TotalScore:0.######}"));
        return 0;
    }

    private static JsonElement Parse(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CliException($"{path} 不是有效的JSON（第{(ex.LineNumber ?? 0) + 1}行附近）");
        }
    }

    private static EventInput ReadEvent(JsonElement root)
    {
        RequireObject(root, "输入");
        var slots = Int(root, "slots", "输入", required: true, min: 1)!.Value;
        var tables = Int(root, "tables", "输入", required: true, min: 1)!.Value;
        var participants = new List<Participant>();
        var i = 0;
        foreach (var p in Array(root, "participants", "输入", required: true))
        {
            var where = $"participants[{i}]";
            RequireObject(p, where);
            var id = Str(p, "id", where, required: true)!;
            where = $"参与方{id}";
            var unavailable = Array(p, "unavailableSlots", where, required: false)
                .Select((s, k) => s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var v) ? v : throw new CliException($"{where}的 unavailableSlots[{k}] 不是整数"))
                .ToList();
            participants.Add(new Participant(id, Side(p, where), Int(p, "maxMeetings", where, required: false, min: 0), unavailable));
            i++;
        }

        var requests = new List<MeetingRequest>();
        i = 0;
        foreach (var r in Array(root, "requests", "输入", required: true))
        {
            var where = $"requests[{i}]";
            RequireObject(r, where);
            var a = Str(r, "a", where, required: true)!;
            var b = Str(r, "b", where, required: true)!;
            where = $"第{i + 1}条会谈请求（{a}—{b}）";
            var score = Num(r, "score", where);
            MeetingLock? pin = null;
            if (r.TryGetProperty("lock", out var l) && l.ValueKind != JsonValueKind.Null)
            {
                RequireObject(l, where + "的 lock");
                pin = new MeetingLock(Int(l, "slot", where + "的 lock", required: true)!.Value, Int(l, "table", where + "的 lock", required: true)!.Value);
            }

            requests.Add(new MeetingRequest(a, b, score, pin, Bool(r, "allowRepeat", where)));
            i++;
        }

        var met = new List<ParticipantPair>();
        i = 0;
        foreach (var m in Array(root, "previouslyMet", "输入", required: false))
        {
            var where = $"previouslyMet[{i++}]";
            RequireObject(m, where);
            met.Add(new ParticipantPair(Str(m, "a", where, required: true)!, Str(m, "b", where, required: true)!));
        }

        return new EventInput(slots, tables, participants, requests, met);
    }

    private static CampaignInput ReadCampaign(JsonElement root)
    {
        RequireObject(root, "输入");
        var events = new List<CampaignEvent>();
        var i = 0;
        foreach (var e in Array(root, "events", "输入", required: true))
        {
            var where = $"events[{i++}]";
            RequireObject(e, where);
            var id = Str(e, "id", where, required: true)!;
            where = $"场次{id}";
            events.Add(new CampaignEvent(id, Date(Str(e, "date", where, required: true)!, where), Int(e, "capacity", where, required: true, min: 0)!.Value));
        }

        var participants = new List<CampaignParticipant>();
        i = 0;
        foreach (var p in Array(root, "participants", "输入", required: true))
        {
            var where = $"participants[{i++}]";
            RequireObject(p, where);
            var id = Str(p, "id", where, required: true)!;
            where = $"参与方{id}";
            List<DateOnly>? dates = null;
            if (p.TryGetProperty("availableDates", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                dates = [.. Array(p, "availableDates", where, required: true).Select(x => x.ValueKind == JsonValueKind.String
                    ? Date(x.GetString()!, where + "的 availableDates")
                    : throw new CliException($"{where}的 availableDates 必须是日期字符串数组"))];
            }

            participants.Add(new CampaignParticipant(id, Side(p, where), Int(p, "maxEvents", where, required: false, min: 0) ?? 1, dates));
        }

        var affinity = new List<Affinity>();
        i = 0;
        foreach (var a in Array(root, "affinity", "输入", required: true))
        {
            var where = $"affinity[{i++}]";
            RequireObject(a, where);
            var participant = Str(a, "participant", where, required: true)!;
            var ev = Str(a, "event", where, required: true)!;
            affinity.Add(new Affinity(participant, ev, Num(a, "score", $"{where}（{participant}—{ev}）")));
        }

        return new CampaignInput(events, participants, affinity);
    }

    private static void WriteSchedule(Utf8JsonWriter w, ScheduleResult result, bool stats)
    {
        w.WriteStartObject();
        w.WriteStartArray("meetings");
        foreach (var m in result.Meetings)
        {
            w.WriteStartObject();
            w.WriteString("a", m.A);
            w.WriteString("b", m.B);
            w.WriteNumber("slot", m.Slot);
            w.WriteNumber("table", m.Table);
            w.WriteNumber("score", m.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("unplaced");
        foreach (var u in result.Unplaced)
        {
            w.WriteStartObject();
            w.WriteString("a", u.A);
            w.WriteString("b", u.B);
            w.WriteString("reason", u.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("slotsUsed", result.SlotsUsed);
        w.WriteNumber("totalScore", Math.Round(result.TotalScore, 9));
        if (stats)
        {
            w.WriteStartObject("stats");
            w.WriteBoolean("exactSelection", result.Stats.ExactSelection);
            w.WriteNumber("upperBound", Math.Round(result.Stats.UpperBound, 9));
            w.WriteNumber("gap", Math.Round(result.Stats.Gap, 9));
            w.WriteNumber("maxDegree", result.Stats.MaxDegree);
            w.WriteNumber("idleGaps", result.Stats.IdleGaps);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteAgendas(CliArgs options, string dir, ScheduleResult result, TimeProvider time)
    {
        var startText = options.Get("--start") ?? throw new CliException("使用 --agenda-dir 时必须给出 --start（如 2026-03-10T09:00:00+08:00）");
        if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            throw new CliException($"选项 --start 的取值无效：{startText}（应为带时区的时间，如 2026-03-10T09:00:00+08:00）");
        }

        var timing = new AgendaTiming(start, TimeSpan.FromMinutes(options.GetInt("--slot-minutes", 20, 1, 24 * 60)), TimeSpan.FromMinutes(options.GetInt("--break-minutes", 0, 0, 24 * 60)));
        var info = new IcsEventInfo(options.Get("--event-id") ?? "event", options.Get("--title") ?? "百日百场对接会", options.Get("--location"));
        var writer = new IcsWriter(time);
        Directory.CreateDirectory(dir);
        var utf8 = new UTF8Encoding(false);
        foreach (var agenda in AgendaBuilder.Build(result, timing))
        {
            var name = string.Concat(agenda.ParticipantId.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
            File.WriteAllText(Path.Combine(dir, name + ".ics"), writer.Write(agenda, info), utf8);
        }
    }

    private static void WriteJson(string path, Action<Utf8JsonWriter> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
        {
            throw new CliException($"输出目录不存在：{dir}");
        }

        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        write(writer);
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void RequireObject(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CliException($"{where}必须是JSON对象");
        }
    }

    private static JsonElement[] Array(JsonElement e, string name, string where, bool required)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new CliException($"{where}缺少 {name}") : [];
        }

        return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : throw new CliException($"{where}的 {name} 必须是数组");
    }

    private static string? Str(JsonElement e, string name, string where, bool required)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new CliException($"{where}缺少 {name}") : null;
        }

        return v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()
            : throw new CliException($"{where}的 {name} 必须是非空字符串");
    }

    private static int? Int(JsonElement e, string name, string where, bool required, int min = int.MinValue)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new CliException($"{where}缺少 {name}") : null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var value) || value < min)
        {
            throw new CliException($"{where}的 {name} 无效：{v.GetRawText()}（应为{(min == int.MinValue ? string.Empty : $"不小于{min}的")}整数）");
        }

        return value;
    }

    private static double Num(JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            throw new CliException($"{where}缺少 {name}");
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new CliException($"{where}的 {name} 无效：{v.GetRawText()}（应为数字）");
    }

    private static bool Bool(JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new CliException($"{where}的 {name} 必须是 true 或 false"),
        };
    }

    private static ParticipantSide Side(JsonElement e, string where) => Str(e, "side", where, required: false) switch
    {
        null or "other" => ParticipantSide.Other,
        "enterprise" => ParticipantSide.Enterprise,
        "institute" => ParticipantSide.Institute,
        var s => throw new CliException($"{where}的 side 无效：{s}（应为 enterprise、institute 或 other）"),
    };

    private static DateOnly Date(string text, string where) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new CliException($"{where}的日期无效：{text}（应为 yyyy-MM-dd）");
}
