using Microsoft.AspNetCore.Antiforgery;
using TechMarket.Server.Features.Events;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Components;

/// <summary>The web UI's form posts for meetings, the schedule, the day of the event, outcomes, and campaign planning.</summary>
internal static class EventUiEndpoints
{
    public static IEndpointRouteBuilder MapEventUi(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui/events/{id:long}").DisableAntiforgery().ExcludeFromDescription();
        ui.MapPost("/meetings", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}", "已发出会谈邀请，等待对方回复", (actor, form) => grains.GetGrain<IEventGrain>(id).RequestMeetingAsync(actor, new MeetingRequestDraft
            {
                TargetRegistrationId = Long(form["targetRegistrationId"]),
                Message = form["message"],
                Slot = Slot(form["slot"]),
            }))).RequireAuthorization(Policies.Member);
        ui.MapPost("/meetings/{meetingId:long}/answer", (long id, long meetingId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}", "已回复", (actor, form) =>
                grains.GetGrain<IEventGrain>(id).AnswerMeetingAsync(actor, meetingId, form["answer"].ToString(), Slot(form["slot"]), form["note"]))).RequireAuthorization(Policies.Member);
        ui.MapPost("/meetings/{meetingId:long}/cancel", (long id, long meetingId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, Back(http, id), "会谈已取消", (actor, _) => grains.GetGrain<IEventGrain>(id).CancelMeetingAsync(actor, meetingId))).RequireAuthorization(Policies.SignedIn);
        ui.MapPost("/meetings/{meetingId:long}/pin", (long id, long meetingId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/schedule", "已更新锁定，重新排程后生效", (actor, form) =>
                grains.GetGrain<IEventGrain>(id).PinMeetingAsync(actor, meetingId, Slot(form["slot"]), Slot(form["table"])))).RequireAuthorization(Policies.Reviewer);
        ui.MapPost("/meetings/{meetingId:long}/outcome", (long id, long meetingId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/agenda", "会谈结果已记录", (actor, form) =>
                grains.GetGrain<IEventGrain>(id).RecordOutcomeAsync(actor, meetingId, form["outcome"].ToString()))).RequireAuthorization(Policies.Member);
        ui.MapPost("/proposals", async (long id, HttpContext http, IAntiforgery af, IGrainFactory grains, EventBoard board) =>
        {
            var proposals = await board.ProposalsAsync(id, 5, http.RequestAborted);
            return await FormAsync(http, af, $"/events/{id}/schedule", null, async (actor, _) =>
            {
                var result = await grains.GetGrain<IEventGrain>(id).ProposeMeetingsAsync(actor, [.. proposals]);
                return result.IsOk ? OpResult<string>.Ok($"按撮合得分推荐了 {result.Value} 场会谈，等待双方接受") : result.As<string>();
            });
        }).RequireAuthorization(Policies.Reviewer);
        ui.MapPost("/schedule", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/schedule", "正在后台排程，完成后本页自动刷新", (actor, form) =>
                grains.GetGrain<IEventGrain>(id).RunScheduleAsync(actor, form["final"] == "true"))).RequireAuthorization(Policies.Reviewer);
        ui.MapPost("/checkin", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/schedule", null, async (actor, form) =>
            {
                var result = await grains.GetGrain<IEventGrain>(id).CheckInAsync(actor, Long(form["registrationId"]), form["code"]);
                return result.IsOk ? OpResult<string>.Ok($"{result.Value!.OrganisationName}已签到") : result.As<string>();
            })).RequireAuthorization(Policies.Reviewer);
        ui.MapPost("/registrations/{registrationId:long}/no-show", (long id, long registrationId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/schedule", "已登记缺席，其会谈位置已释放", (actor, form) =>
                grains.GetGrain<IEventGrain>(id).SetNoShowAsync(actor, registrationId, form["noShow"] != "false"))).RequireAuthorization(Policies.Reviewer);
        ui.MapPost("/walk-ins", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/events/{id}/schedule", "已现场加约", (actor, form) =>
            {
                var (a, b, slot, table) = (Long(form["requesterRegistrationId"]), Long(form["targetRegistrationId"]), Slot(form["slot"]), Slot(form["table"]));
                return a is null || b is null || slot is null || table is null
                    ? Task.FromResult(OpResult<MeetingView>.Invalid(new Dictionary<string, string[]> { ["walkIn"] = ["请选择双方、时段和桌号"] }))
                    : grains.GetGrain<IEventGrain>(id).AddWalkInAsync(actor, a.Value, b.Value, slot.Value, table.Value);
            })).RequireAuthorization(Policies.Reviewer);

        var campaign = app.MapGroup("/ui/campaigns/{id:long}").DisableAntiforgery().ExcludeFromDescription();
        campaign.MapPost("/interest", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", "意向报名已保存，组织方分配场次后会通知您", (actor, form) =>
            {
                var dates = new List<DateOnly>();
                foreach (var d in form["date"])
                {
                    if (!DateOnly.TryParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                    {
                        return Task.FromResult(OpResult<CampaignInterestView>.Invalid(new Dictionary<string, string[]> { ["availableDates"] = ["日期格式应为 yyyy-MM-dd"] }));
                    }

                    dates.Add(date);
                }

                var listings = form["listing"].Select(Long).ToList();
                return listings.Any(l => l is null)
                    ? Task.FromResult(OpResult<CampaignInterestView>.Invalid(new Dictionary<string, string[]> { ["listingIds"] = ["请选择本机构已发布的需求或成果"] }))
                    : grains.GetGrain<ICampaignGrain>(id).DeclareInterestAsync(actor, new CampaignInterestDraft
                    {
                        Fields = [.. form["field"].OfType<string>()],
                        AvailableDates = [.. dates],
                        MaxEvents = int.TryParse(form["maxEvents"], out var max) ? max : 0,
                        Offers = form["offers"],
                        Seeks = form["seeks"],
                        ListingIds = [.. listings.Select(l => l!.Value)],
                    });
            })).RequireAuthorization(Policies.Member);
        campaign.MapPost("/interest/withdraw", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", "已撤回意向报名", (actor, _) => grains.GetGrain<ICampaignGrain>(id).WithdrawInterestAsync(actor))).RequireAuthorization(Policies.Member);
        campaign.MapPost("/plan", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains, CampaignPlanning planning) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", null, async (actor, _) =>
            {
                var result = await CampaignPlanEndpoints.PlanAsync(id, actor, grains, planning, http.RequestAborted);
                return result.IsOk ? OpResult<string>.Ok(result.Value!.Summary) : result.As<string>();
            })).RequireAuthorization(Policies.Reviewer);
        campaign.MapPost("/plan/confirm", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", null, async (actor, _) =>
            {
                var result = await grains.GetGrain<ICampaignGrain>(id).ConfirmPlanAsync(actor);
                return result.IsOk ? OpResult<string>.Ok(result.Value!.Summary) : result.As<string>();
            })).RequireAuthorization(Policies.Reviewer);
        campaign.MapPost("/listings", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", "已加入推介清单", (actor, form) => Long(form["listingId"]) is { } listing
                ? grains.GetGrain<ICampaignGrain>(id).AddListingAsync(actor, listing, form["note"])
                : Task.FromResult(OpResult<bool>.Invalid(new Dictionary<string, string[]> { ["listingId"] = ["请填写成果或揭榜挂帅需求的编号"] })))).RequireAuthorization(Policies.Reviewer);
        campaign.MapPost("/listings/{listingId:long}/remove", (long id, long listingId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", "已移出推介清单", (actor, _) => grains.GetGrain<ICampaignGrain>(id).RemoveListingAsync(actor, listingId))).RequireAuthorization(Policies.Reviewer);
        campaign.MapPost("/plan/{assignmentId:long}/drop", (long id, long assignmentId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            FormAsync(http, af, $"/campaigns/{id}/plan", "已移除该分配", (actor, _) => grains.GetGrain<ICampaignGrain>(id).DropAssignmentAsync(actor, assignmentId))).RequireAuthorization(Policies.Reviewer);
        return app;
    }

    /// <summary>
    /// One form post: the antiforgery token, the grain's call, then back to <paramref name="back"/> with the outcome
    /// (<paramref name="done"/>, or the call's own text when it returns one), or the refusal's Chinese message.
    /// </summary>
    /// <summary>A form post: antiforgery checked, the step taken, and back to <paramref name="back"/> with its message.</summary>
    internal static async Task<IResult> FormAsync<T>(HttpContext http, IAntiforgery antiforgery, string back, string? done, Func<Actor, IFormCollection, Task<OpResult<T>>> act)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        // The token may come in a header; then the body need not be a form, and reading it as one would throw (500).
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        var result = await act(Actors.From(http.User)!, form);
        var message = result.IsOk
            ? done ?? result.Value as string ?? "已完成"
            : result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成";
        return TypedResults.LocalRedirect($"{back}?{(result.IsOk ? "done" : "error")}={Uri.EscapeDataString(message)}");
    }

    /// <summary>Cancelling from the organisers' board goes back there, from the event's page back to it.</summary>
    private static string Back(HttpContext http, long id) =>
        http.Request.Form["back"] == "schedule" ? $"/events/{id}/schedule" : $"/events/{id}";

    private static long? Long(string? s) => long.TryParse(s, out var v) ? v : null;

    /// <summary>A 1-based number from a form (what people read) as the 0-based index the grain takes.</summary>
    private static int? Slot(string? s) => int.TryParse(s, out var v) ? v - 1 : null;
}
