using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>Malformed requests: each answered 4xx with Chinese problem details, never 5xx, and nothing written.</summary>
public abstract class BadInputTests(Backend backend) : IDisposable
{
    private const string ValidNeed = """{"title":"注塑机工艺参数优化","summary":"需要优化注塑工艺参数以降低不良率。","field":"高端装备","transferModes":["技术开发"],"problem":"翘曲变形"}""";
    private const string ValidAchievement = """{"title":"钕铁硼晶界扩散技术","summary":"晶界扩散重稀土提高矫顽力。","field":"磁性材料","transferModes":["技术许可"],"maturity":"中试"}""";
    private static readonly string ValidRegistration = """{"email":"new@test.cn","password":"Passw0rd2026","displayName":"李工","organisationKind":"enterprise","organisationName":"宁波新注册有限公司","creditCode":"CODE","district":"北仑区"}""";

    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>name, who (anon/member/admin), method, url ({need} = the member's draft need id), content type, body, expected status.</summary>
    public static TheoryData<string, string, string, string, string, string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string, string, string, string, int>();
            void Need(string name, string body, int status = 400) => data.Add(name, "member", "POST", "/api/needs", "application/json", body, status);
            void Ach(string name, string body, int status = 400) => data.Add(name, "member", "POST", "/api/achievements", "application/json", body, status);
            void Reg(string name, string body, int status = 400) => data.Add(name, "anon", "POST", "/api/auth/register", "application/json", body, status);
            void Get(string name, string url, int status = 400) => data.Add(name, "member", "GET", url, "", "", status);

            Need("broken JSON", """{"title":"注塑""");
            Need("JSON array instead of object", "[]");
            Need("empty body", "");
            Need("title is a number", """{"title":123}""");
            Need("budget is text", ValidNeed.Replace("}", ""","budgetWan":"很多"}""", StringComparison.Ordinal));
            Need("negative budget", ValidNeed.Replace("}", ""","budgetWan":-5}""", StringComparison.Ordinal));
            Need("absurd budget", ValidNeed.Replace("}", ""","budgetWan":1e20}""", StringComparison.Ordinal));
            Need("missing title", """{"summary":"只有描述没有名称"}""");
            Need("title too short", """{"title":"注塑"}""");
            Need("overlong title", $$"""{"title":"{{new string('长', 101)}}"}""");
            Need("overlong summary", $$"""{"title":"注塑机工艺参数优化","summary":"{{new string('字', 8001)}}"}""");
            Need("overlong problem", $$"""{"title":"注塑机工艺参数优化","problem":"{{new string('问', 4001)}}"}""");
            Need("unknown field", """{"title":"注塑机工艺参数优化","field":"火星农业"}""");
            Need("unknown transfer mode", """{"title":"注塑机工艺参数优化","transferModes":["白送"]}""");
            Need("transfer modes not an array", """{"title":"注塑机工艺参数优化","transferModes":"技术转让"}""");
            Need("impossible date", """{"title":"注塑机工艺参数优化","validUntil":"2026-13-45"}""");
            Need("boolean as text", """{"title":"注塑机工艺参数优化","isChallenge":"是"}""");
            Need("phone with letters", """{"title":"注塑机工艺参数优化","contactPhone":"call-me-maybe"}""");
            Need("control characters in title", """{"title":"注塑机\u0001工艺参数"}""");
            data.Add("text/plain content type", "member", "POST", "/api/needs", "text/plain", ValidNeed, 415);
            data.Add("form content type", "member", "POST", "/api/needs", "application/x-www-form-urlencoded", "title=abc", 415);
            Ach("unknown maturity", """{"title":"钕铁硼晶界扩散技术","maturity":"量产"}""");
            Ach("TRL out of range", """{"title":"钕铁硼晶界扩散技术","trl":12}""");
            Ach("too many keywords", """{"title":"钕铁硼晶界扩散技术","keywords":"稀土、磁体、扩散、矫顽力、烧结"}""");
            Ach("negative price", ValidAchievement.Replace("}", ""","priceWan":-1}""", StringComparison.Ordinal));
            Reg("invalid credit code", ValidRegistration.Replace("CODE", "12345", StringComparison.Ordinal));
            Reg("credit code with wrong check character", ValidRegistration.Replace("CODE", "91330200MA2AAAAA0X", StringComparison.Ordinal));
            Reg("unknown organisation kind", ValidRegistration.Replace("CODE", "91330200MA2AAAAA0K", StringComparison.Ordinal).Replace("enterprise", "government", StringComparison.Ordinal));
            Reg("weak password", ValidRegistration.Replace("Passw0rd2026", "123", StringComparison.Ordinal));
            Reg("invalid email", ValidRegistration.Replace("new@test.cn", "not-an-email", StringComparison.Ordinal));
            Reg("unknown district", ValidRegistration.Replace("北仑区", "火星区", StringComparison.Ordinal));
            Reg("duplicate credit code", "DUPLICATE", 409);
            data.Add("edit without If-Match", "member", "PUT", "/api/needs/{need}", "application/json", ValidNeed, 428);
            data.Add("edit with malformed If-Match", "member", "PUT", "/api/needs/{need}?ifmatch=abc", "application/json", ValidNeed, 400);
            data.Add("edit with stale version", "member", "PUT", "/api/needs/{need}?ifmatch=99", "application/json", ValidNeed, 409);
            data.Add("return for revision without a reason", "admin", "POST", "/api/review/{need}/return?ifmatch=current", "application/json", "{}", 400);
            data.Add("login without password", "anon", "POST", "/api/auth/login", "application/json", """{"email":"a@b.cn"}""", 400);
            data.Add("unknown role", "admin", "PUT", "/api/admin/users/1/roles", "application/json", """{"roles":["Emperor"]}""", 400);
            Get("page zero", "/api/needs?page=0");
            Get("page size too large", "/api/needs?pageSize=1000");
            Get("page is text", "/api/needs?page=abc");
            Get("page beyond the deepest allowed", "/api/needs?page=2000000000");
            Get("unknown field filter", "/api/needs?field=未知领域");
            Get("unknown status filter", "/api/needs/mine?status=Flying");
            Get("numeric status filter", "/api/needs/mine?status=2");
            Get("id that is not a number", "/api/needs/abc", 404);
            void Match(string name, string action, string body, int status = 400) => data.Add(name, "member", "POST", $"/api/matches/{action}", "application/json", body, status);
            Match("interest: broken JSON", "interest", "{");
            Match("interest: ids as text", "interest", """{"needId":"abc","achievementId":"def"}""");
            Match("interest: unknown pair", "interest", """{"needId":999999,"achievementId":999998}""", 404);
            Match("interest: overlong message", "interest", $$"""{"needId":{need},"achievementId":1,"message":"{{new string('长', 501)}}"}""");
            Match("decline: unknown reason", "decline", """{"needId":{need},"achievementId":1,"reason":"没兴趣"}""");
            Match("decline: other without a note", "decline", """{"needId":{need},"achievementId":1,"reason":"其他"}""");
            data.Add("decline: text/plain", "member", "POST", "/api/matches/decline", "text/plain", "{}", 415);
            Get("suggestions: zero wanted", "/api/needs/{need}/suggestions?top=0");
            Get("suggestions: too many wanted", "/api/needs/{need}/suggestions?top=500");
            Get("suggestions: count as text", "/api/needs/{need}/suggestions?top=abc");
            Get("match id that is not a number", "/api/matches/abc", 404);
            Get("suppliers: zero wanted", "/api/organisations/1/suppliers?top=0");
            Get("suppliers: count as text", "/api/organisations/1/suppliers?top=many");
            Get("suppliers: unknown organisation", "/api/organisations/999999/suppliers", 404);
            void Coach(string name, string body, int status = 400, string type = "application/json") => data.Add(name, "member", "POST", "/api/needs/coach", type, body, status);
            Coach("coach: broken JSON", """{"title":"注塑""");
            Coach("coach: JSON array instead of object", "[]");
            Coach("coach: empty body", "");
            Coach("coach: null body", "null");
            Coach("coach: title is a number", """{"title":123}""");
            Coach("coach: overlong problem", $$"""{"problem":"{{new string('问', 4001)}}"}""");
            Coach("coach: overlong keywords", $$"""{"keywords":"{{new string('词', 201)}}"}""");
            Coach("coach: unknown field", """{"field":"火星农业"}""");
            Coach("coach: unknown transfer mode", """{"transferModes":["白送"]}""");
            Coach("coach: budget is text", """{"budgetWan":"很多"}""");
            Coach("coach: negative budget", """{"budgetWan":-5}""");
            Coach("coach: impossible date", """{"validUntil":"2026-13-45"}""");
            Coach("coach: body beyond the bound", $$"""{"summary":"{{new string('长', 50_000)}}"}""", 413);
            Coach("coach: text/plain", """{"title":"注塑"}""", 415, "text/plain");
            data.Add("read an unknown notification", "member", "POST", "/api/notifications/999999/read", "", "", 404);
            void Save(string name, string body, int status = 400) => data.Add(name, "member", "POST", "/api/saved-searches", "application/json", body, status);
            Save("saved search: broken JSON", "{");
            Save("saved search: nothing to search for", """{"query":"  "}""");
            Save("saved search: unknown kind", """{"query":"注塑","kind":"patent"}""");
            Save("saved search: unknown field", """{"query":"注塑","field":"量子玄学"}""");
            Save("saved search: unknown district", """{"query":"注塑","district":"火星区"}""");
            Save("saved search: overlong words", $$"""{"query":"{{new string('注', 101)}}"}""");
            Save("saved search: query as a number", """{"query":42}""");
            Save("saved search: punctuation only", """{"query":"！！？"}""");
            data.Add("delete a saved search by text id", "member", "DELETE", "/api/saved-searches/abc", "", "", 404);
            void NewEvent(string name, string body, int status = 400) => data.Add(name, "admin", "POST", "/api/events", "application/json", body, status);
            NewEvent("event: broken JSON", "{");
            NewEvent("event: unknown format", """{"format":"茶话会","title":"对接会","startsAt":"2031-05-01T01:00:00Z","registrationDeadline":"2031-04-20T00:00:00Z","capacity":10}""");
            NewEvent("event: deadline after the start", """{"format":"成果路演","title":"路演","startsAt":"2031-05-01T01:00:00Z","registrationDeadline":"2031-05-02T00:00:00Z","capacity":10}""");
            NewEvent("event: bilateral without tables", """{"format":"专场对接会","title":"对接会","startsAt":"2031-05-01T01:00:00Z","registrationDeadline":"2031-04-20T00:00:00Z","capacity":10,"tables":0,"slotCount":8,"slotMinutes":20}""");
            NewEvent("event: capacity as text", """{"format":"成果路演","title":"路演","capacity":"很多"}""");
            NewEvent("event: date that is not a date", """{"format":"成果路演","title":"路演","startsAt":"下周一","capacity":10}""");
            NewEvent("event: in the past", """{"format":"成果路演","title":"路演","startsAt":"2001-05-01T01:00:00Z","registrationDeadline":"2001-04-20T00:00:00Z","capacity":10}""");
            NewEvent("event: unknown campaign", """{"format":"成果路演","title":"路演","startsAt":"2031-05-01T01:00:00Z","registrationDeadline":"2031-04-20T00:00:00Z","capacity":10,"campaignId":999999}""");
            data.Add("campaign: no name", "admin", "POST", "/api/campaigns", "application/json", """{"year":2027}""", 400);
            data.Add("campaign: negative target", "admin", "POST", "/api/campaigns", "application/json", """{"name":"百日百场","year":2027,"targetEvents":-1}""", 400);
            void Interest(string name, string body, int status = 400) => data.Add(name, "member", "PUT", "/api/campaigns/1/interests/mine", "application/json", body, status);
            Interest("interest: broken JSON", "{");
            Interest("interest: dates that are not dates", """{"maxEvents":1,"availableDates":["下周一"]}""");
            Interest("interest: max events as text", """{"maxEvents":"很多"}""");
            Interest("interest: listing ids as text", """{"maxEvents":1,"listingIds":["abc"]}""");
            data.Add("interest in an unknown campaign", "member", "PUT", "/api/campaigns/999999/interests/mine", "application/json", """{"maxEvents":1}""", 404);
            data.Add("plan an unknown campaign", "admin", "POST", "/api/campaigns/999999/plan", "", "", 404);
            data.Add("confirm an unknown campaign's plan", "admin", "POST", "/api/campaigns/999999/plan/confirm", "", "", 404);
            data.Add("drop a plan line by text id", "admin", "DELETE", "/api/campaigns/1/plan/abc", "", "", 404);
            data.Add("drop an unknown plan line", "admin", "DELETE", "/api/campaigns/999999/plan/1", "", "", 404);
            data.Add("shared list: listing id as text", "admin", "POST", "/api/campaigns/1/listings", "application/json", """{"listingId":"abc"}""", 400);
            data.Add("shared list: broken JSON", "admin", "POST", "/api/campaigns/1/listings", "application/json", "{", 400);
            data.Add("shared list of an unknown campaign", "anonymous", "GET", "/api/campaigns/999999/listings", "", "", 404);
            data.Add("take an unknown listing off a list", "admin", "DELETE", "/api/campaigns/999999/listings/1", "", "", 404);
            void NewDeal(string name, string body, int status = 400) => data.Add(name, "admin", "POST", "/api/deals", "application/json", body, status);
            NewDeal("deal: broken JSON", "{");
            NewDeal("deal: amount as text", """{"title":"合同","amountWan":"很多"}""");
            NewDeal("deal: date that is not a date", """{"title":"合同","signedOn":"昨天"}""");
            NewDeal("deal: unknown type", """{"title":"技术合同","contractType":"买卖合同","buyerOrganisationId":1,"sellerOrganisationId":2,"amountWan":10,"signedOn":"2026-01-05"}""");
            NewDeal("deal: zero amount", """{"title":"技术合同","contractType":"技术开发","buyerOrganisationId":1,"sellerOrganisationId":2,"amountWan":0,"signedOn":"2026-01-05"}""");
            NewDeal("deal: signed in the future", """{"title":"技术合同","contractType":"技术开发","buyerOrganisationId":1,"sellerOrganisationId":2,"amountWan":10,"signedOn":"2099-01-05"}""");
            NewDeal("deal: buyer is the seller", """{"title":"技术合同","contractType":"技术开发","buyerOrganisationId":1,"sellerOrganisationId":1,"amountWan":10,"signedOn":"2026-01-05"}""");
            NewDeal("deal: unknown organisations", """{"title":"技术合同","contractType":"技术开发","buyerOrganisationId":999998,"sellerOrganisationId":999999,"amountWan":10,"signedOn":"2026-01-05"}""");
            data.Add("deals: unknown status filter", "admin", "GET", "/api/deals?status=Flying", "", "", 400);
            data.Add("deal id that is not a number", "admin", "GET", "/api/deals/abc", "", "", 404);
            data.Add("apply for an unknown deal", "member", "POST", "/api/deals/999999/apply", "", "", 404);
            data.Add("claim: broken JSON", "broker", "POST", "/api/matches/claim", "application/json", "{", 400);
            data.Add("claim: need id as text", "broker", "POST", "/api/matches/claim", "application/json", """{"needId":"甲","achievementId":1}""", 400);
            data.Add("claim an unknown pair", "broker", "POST", "/api/matches/claim", "application/json", """{"needId":999998,"achievementId":999999}""", 404);
            data.Add("assign: unknown pair", "admin", "POST", "/api/matches/assign", "application/json", """{"needId":999998,"achievementId":999999}""", 404);
            data.Add("move an unknown match", "broker", "POST", "/api/matches/999999/move", "application/json", """{"stage":"met"}""", 404);
            data.Add("move: broken JSON", "broker", "POST", "/api/matches/999999/move", "application/json", "{", 400);
            data.Add("move: unknown stage", "broker", "POST", "/api/matches/999999/move", "application/json", """{"stage":"won"}""", 400);
            data.Add("undo an unknown match", "broker", "POST", "/api/matches/999999/undo", "", "", 404);
            data.Add("follow-up without a date", "broker", "POST", "/api/broker/tasks", "application/json", """{"matchId":1,"note":"回访"}""", 400);
            data.Add("follow-up: date that is not a date", "broker", "POST", "/api/broker/tasks", "application/json", """{"matchId":1,"dueAt":"明天","note":"回访"}""", 400);
            data.Add("follow-up in the past", "broker", "POST", "/api/broker/tasks", "application/json", """{"matchId":1,"dueAt":"2020-01-01T00:00:00Z","note":"回访"}""", 400);
            data.Add("follow-up note too long", "broker", "POST", "/api/broker/tasks", "application/json", "{\"matchId\":1,\"dueAt\":\"2027-06-01T00:00:00Z\",\"note\":\"" + new string('长', 501) + "\"}", 400);
            data.Add("complete an unknown task", "broker", "POST", "/api/broker/tasks/999999/done", "application/json", "{}", 404);
            data.Add("task id that is not a number", "broker", "POST", "/api/broker/tasks/abc/cancel", "", "", 404);
            data.Add("mined need: no need", "broker", "POST", "/api/broker/mined-needs", "application/json", """{"organisationId":1}""", 400);
            data.Add("mined need: broken JSON", "broker", "POST", "/api/broker/mined-needs", "application/json", "{", 400);
            data.Add("mined need for an unknown enterprise", "broker", "POST", "/api/broker/mined-needs", "application/json", """{"organisationId":999999,"need":{"title":"注塑机节能改造"}}""", 400);
            data.Add("withdraw an unknown mined need", "broker", "DELETE", "/api/broker/mined-needs/999999", "", "", 404);
            data.Add("figures: unknown figure", "admin", "GET", "/api/figures/records?figure=profit", "", "", 400);
            data.Add("figures: no figure", "admin", "GET", "/api/figures/records", "", "", 400);
            data.Add("figures: malformed month", "admin", "GET", "/api/figures/records?figure=deals&month=2026-13", "", "", 400);
            data.Add("figures: event id as text", "admin", "GET", "/api/figures/records?figure=deals&event=abc", "", "", 400);
            data.Add("figures: broker id that overflows", "admin", "GET", "/api/figures/records?figure=deals&broker=99999999999999999999", "", "", 400);
            data.Add("figures export: unknown figure", "admin", "GET", "/api/figures/records.xlsx?figure=profit", "", "", 400);
            data.Add("events: unknown status filter", "member", "GET", "/api/events?status=Flying", "", "", 400);
            data.Add("events: numeric status filter", "member", "GET", "/api/events?status=1", "", "", 400);
            data.Add("event id that is not a number", "member", "GET", "/api/events/abc", "", "", 404);
            data.Add("register for an unknown event", "member", "POST", "/api/events/999999/registrations", "application/json", "{}", 404);
            data.Add("register: broken JSON", "member", "POST", "/api/events/999999/registrations", "application/json", "{", 400);
            data.Add("event status without If-Match", "admin", "POST", "/api/events/999999/status", "application/json", """{"status":"Open"}""", 428);
            data.Add("meeting request at an unknown event", "member", "POST", "/api/events/999999/meetings", "application/json", """{"targetRegistrationId":1}""", 404);
            data.Add("meeting request: broken JSON", "member", "POST", "/api/events/999999/meetings", "application/json", "{", 400);
            data.Add("meeting request: target is text", "member", "POST", "/api/events/999999/meetings", "application/json", """{"targetRegistrationId":"甲"}""", 400);
            data.Add("meeting answer: unknown answer", "member", "POST", "/api/events/999999/meetings/1/answer", "application/json", """{"answer":"Maybe"}""", 400);
            data.Add("meeting answer: note too long", "member", "POST", "/api/events/999999/meetings/1/answer", "application/json", "{\"answer\":\"Decline\",\"note\":\"" + new string('长', 501) + "\"}", 400);
            data.Add("meeting answer at an unknown event", "member", "POST", "/api/events/999999/meetings/1/answer", "application/json", """{"answer":"Accept"}""", 404);
            data.Add("meeting outcome: unknown outcome", "member", "POST", "/api/events/999999/meetings/1/outcome", "application/json", """{"outcome":"很好"}""", 400);
            data.Add("meeting pin: slot without table", "admin", "POST", "/api/events/999999/meetings/1/pin", "application/json", """{"slot":1}""", 404);
            data.Add("proposals: too many per enterprise", "admin", "POST", "/api/events/999999/proposals", "application/json", """{"perEnterprise":500}""", 400);
            data.Add("proposals at an unknown event", "admin", "POST", "/api/events/999999/proposals", "application/json", "{}", 404);
            data.Add("schedule an unknown event", "admin", "POST", "/api/events/999999/schedule", "application/json", """{"final":true}""", 404);
            data.Add("schedule: final is text", "admin", "POST", "/api/events/999999/schedule", "application/json", """{"final":"是"}""", 400);
            data.Add("schedule of an unknown event", "member", "GET", "/api/events/999999/schedule", "", "", 404);
            data.Add("agenda of an unknown event", "member", "GET", "/api/events/999999/agenda.ics", "", "", 404);
            data.Add("check-in without code or registration", "admin", "POST", "/api/events/999999/checkin", "application/json", "{}", 400);
            data.Add("check-in at an unknown event", "admin", "POST", "/api/events/999999/checkin", "application/json", """{"code":"123456"}""", 404);
            data.Add("no-show at an unknown event", "admin", "POST", "/api/events/999999/registrations/1/no-show", "application/json", """{"noShow":true}""", 404);
            data.Add("walk-in without a table", "admin", "POST", "/api/events/999999/walk-ins", "application/json", """{"requesterRegistrationId":1,"targetRegistrationId":2,"slot":0}""", 400);
            data.Add("walk-in at an unknown event", "admin", "POST", "/api/events/999999/walk-ins", "application/json", """{"requesterRegistrationId":1,"targetRegistrationId":2,"slot":0,"table":0}""", 404);
            data.Add("delete an unknown saved search", "member", "DELETE", "/api/saved-searches/999999", "", "", 404);
            void Challenge(string name, string who, string url, string body, int status = 400, string method = "POST") => data.Add(name, who, method, url, "application/json", body, status);
            Get("challenges: page zero", "/api/challenges?page=0");
            Get("challenges: page size as text", "/api/challenges?pageSize=many");
            Get("challenge id that is not a number", "/api/challenges/abc", 404);
            Get("challenge that does not exist", "/api/challenges/999999", 404);
            Get("challenge not set up on a need", "/api/challenges/{need}", 404);
            Challenge("set up: unknown rule", "member", "/api/challenges/{need}", """{"rule":"抽签","places":3}""", method: "PUT");
            Challenge("set up: no places", "member", "/api/challenges/{need}", """{"rule":"抢榜"}""", method: "PUT");
            Challenge("set up: zero places", "member", "/api/challenges/{need}", """{"rule":"抢榜","places":0}""", method: "PUT");
            Challenge("set up: places as text", "member", "/api/challenges/{need}", """{"rule":"抢榜","places":"三个"}""", method: "PUT");
            Challenge("set up: overlong requirements", "member", "/api/challenges/{need}", $$"""{"rule":"Open","places":1,"requirements":"{{new string('要', 4001)}}"}""", method: "PUT");
            Challenge("set up: reviewers not an array", "member", "/api/challenges/{need}", """{"rule":"Open","places":1,"reviewerUserIds":"张三"}""", method: "PUT");
            Challenge("set up: broken JSON", "member", "/api/challenges/{need}", """{"rule":""", method: "PUT");
            Challenge("set up: malformed If-Match", "member", "/api/challenges/{need}?ifmatch=abc", """{"rule":"Open","places":1}""", method: "PUT");
            Challenge("set up: a need that is not a published challenge", "member", "/api/challenges/{need}", """{"rule":"Open","places":1}""", 409, "PUT");
            Challenge("review: score out of range", "member", "/api/challenges/{need}/applications/1/reviews", """{"score":101}""");
            Challenge("review: no score", "member", "/api/challenges/{need}/applications/1/reviews", """{"comment":"好"}""");
            Challenge("review: score as text", "member", "/api/challenges/{need}/applications/1/reviews", """{"score":"高"}""");
            Challenge("review: application id as text", "member", "/api/challenges/{need}/applications/abc/reviews", """{"score":80}""", 404);
            Challenge("award: no application", "admin", "/api/challenges/{need}/award?ifmatch=current", "{}");
            Challenge("award: application id as text", "admin", "/api/challenges/{need}/award?ifmatch=current", """{"applicationId":"第一个"}""");
            Challenge("award: without If-Match", "admin", "/api/challenges/{need}/award", """{"applicationId":1}""", 428);
            Challenge("award: challenge that does not exist", "admin", "/api/challenges/999999/award?ifmatch=1", """{"applicationId":1}""", 404);
            Challenge("close: without If-Match", "member", "/api/challenges/{need}/close", "", 428);
            Challenge("milestone: no title", "member", "/api/challenges/{need}/milestones", """{"dueDate":"2027-06-30"}""");
            Challenge("milestone: impossible date", "member", "/api/challenges/{need}/milestones", """{"title":"中试","dueDate":"2027-02-30"}""");
            Challenge("milestone: no date", "member", "/api/challenges/{need}/milestones", """{"title":"中试"}""");
            Challenge("milestone: unknown challenge", "member", "/api/challenges/999999/milestones", """{"title":"中试","dueDate":"2027-06-30"}""", 404);
            data.Add("milestone done: unknown challenge", "member", "POST", "/api/challenges/999999/milestones/1/done", "", "", 404);
            void Admin(string name, string method, string url, string body = "", int status = 400, string type = "application/json") => data.Add(name, "admin", method, url, body.Length == 0 ? "" : type, body, status);
            Admin("users: page zero", "GET", "/api/admin/users?page=0");
            Admin("users: page size as text", "GET", "/api/admin/users?pageSize=many");
            Admin("users: overlong search", "GET", $"/api/admin/users?q={new string('查', 101)}");
            Admin("audit: date that is not a date", "GET", "/api/admin/audit?from=昨天");
            Admin("audit: impossible date", "GET", "/api/admin/audit?to=2026-02-30");
            Admin("audit: from after to", "GET", "/api/admin/audit?from=2026-12-02&to=2026-12-01");
            Admin("audit: record id as text", "GET", "/api/admin/audit?entityId=abc");
            Admin("audit: user id as text", "GET", "/api/admin/audit?userId=张三");
            Admin("audit: overlong action", "GET", $"/api/admin/audit?action={new string('a', 51)}");
            Admin("organisations: pending as text", "GET", "/api/admin/organisations?pending=也许");
            Admin("organisations: page zero", "GET", "/api/admin/organisations?page=0");
            Admin("approve a name without If-Match", "POST", "/api/admin/organisations/{org}/name/approve", status: 428);
            Admin("approve a name with malformed If-Match", "POST", "/api/admin/organisations/{org}/name/approve?ifmatch=abc");
            Admin("approve a name of an unknown organisation", "POST", "/api/admin/organisations/999999/name/approve?ifmatch=1", status: 404);
            Admin("approve when no name is pending", "POST", "/api/admin/organisations/{org}/name/approve?ifmatch=1", status: 409);
            Admin("reject a name without a reason", "POST", "/api/admin/organisations/{org}/name/reject?ifmatch=1", "{}");
            Admin("reject a name: broken JSON", "POST", "/api/admin/organisations/{org}/name/reject?ifmatch=1", "{");
            Admin("reject a name: reason as a number", "POST", "/api/admin/organisations/{org}/name/reject?ifmatch=1", """{"reason":42}""");
            Admin("reject a name: overlong reason", "POST", "/api/admin/organisations/{org}/name/reject?ifmatch=1", $$"""{"reason":"{{new string('理', 501)}}"}""");
            Admin("verify: verified as text", "POST", "/api/admin/organisations/{org}/verify", """{"verified":"是"}""");
            Admin("verify: broken JSON", "POST", "/api/admin/organisations/{org}/verify", "{");
            Admin("verify: text/plain", "POST", "/api/admin/organisations/{org}/verify", "{}", 415, "text/plain");
            Admin("verify an unknown organisation", "POST", "/api/admin/organisations/999999/verify", status: 404);
            Admin("organisation id that is not a number", "POST", "/api/admin/organisations/abc/verify", status: 404);
            data.Add("rename the organisation to one character", "member", "PUT", "/api/organisations/{org}?ifmatch=1", "application/json", """{"name":"甲"}""", 400);
            data.Add("price guidance of an unknown achievement", "anonymous", "GET", "/api/achievements/999999/price-guidance", "", "", 404);
            data.Add("price guidance of a need", "anonymous", "GET", "/api/achievements/{need}/price-guidance", "", "", 404);
            data.Add("price guidance by text id", "anonymous", "GET", "/api/achievements/abc/price-guidance", "", "", 404);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequestIsRefusedWithChineseProblemAndWritesNothing(string name, string who, string method, string url, string contentType, string body, int status)
    {
        var (member, memberAccount) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        var existingCode = (await Support.Api.NewMemberAsync(_factory)).Account.OrganisationId;
        var client = who switch
        {
            "member" => member,
            "admin" => (await Support.Api.AdminAsync(_factory)).Http,
            "broker" => (await DealTests.WithRoleAsync(_factory, "agency", TechMarket.Data.Model.Roles.Broker)).Http,
            _ => _factory.CreateClient(),
        };
        if (body == "DUPLICATE")
        {
            body = await DuplicateRegistrationAsync(existingCode!.Value);
        }

        var id = draft.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        url = url.Replace("{org}", memberAccount.OrganisationId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var request = BuildRequest(method, url.Replace("{need}", id, StringComparison.Ordinal), contentType, body.Replace("{need}", id, StringComparison.Ordinal), submitted.Version);
        var before = await CountRowsAsync();

        var response = await client.SendAsync(request);

        await Support.Api.AssertProblemAsync(response, (HttpStatusCode)status);
        Assert.Equal(before, await CountRowsAsync());
        Assert.False(string.IsNullOrEmpty(name));
    }

    private static HttpRequestMessage BuildRequest(string method, string url, string contentType, string body, long currentVersion)
    {
        var ifMatch = (string?)null;
        var q = url.IndexOf("?ifmatch=", StringComparison.Ordinal);
        if (q >= 0)
        {
            ifMatch = url[(q + 9)..];
            url = url[..q];
            ifMatch = ifMatch == "current" ? $"\"{currentVersion}\"" : ifMatch == "abc" ? "\"abc\"" : $"\"{ifMatch}\"";
        }

        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (contentType.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }

        return request;
    }

    private async Task<string> DuplicateRegistrationAsync(long organisationId)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var code = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.CreditCode).SingleAsync();
        return ValidRegistration.Replace("CODE", code, StringComparison.Ordinal);
    }

    private async Task<(int, int, int, int, long)> CountRowsAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        return (
            await db.Listings.CountAsync(),
            await db.Organisations.CountAsync(),
            await db.Users.CountAsync(),
            await db.AuditLog.CountAsync(),
            await db.Listings.SumAsync(l => l.Version) + (1000 * await db.Matches.CountAsync())
                + (1000 * (await db.Challenges.CountAsync() + await db.ChallengeApplications.CountAsync() + await db.ChallengeReviews.CountAsync() + await db.ChallengeMilestones.CountAsync())));
    }
}

public sealed class BadInputTestsOnSqlite() : BadInputTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class BadInputTestsOnPostgres() : BadInputTests(Backend.Postgres);
