// Need coaching (需求完善度): as the need form is edited, posts its fields to /api/needs/coach (debounced) and shows
// the score, the hints, and the suggested keywords / field as buttons that fill the form.
(function () {
    "use strict";
    var DELAY = 400;

    function value(form, name) {
        var el = form.elements.namedItem(name);
        return el && typeof el.value === "string" ? el.value : "";
    }

    function draft(form) {
        var budget = value(form, "BudgetWan").trim();
        var until = value(form, "ValidUntil").trim();
        var modes = [];
        Array.prototype.forEach.call(form.querySelectorAll("input[name=TransferModes]:checked"), function (el) {
            modes.push(el.value);
        });
        var number = budget === "" ? null : Number(budget);
        return {
            title: value(form, "Title"),
            summary: value(form, "Summary"),
            problem: value(form, "Problem"),
            keyPoints: value(form, "KeyPoints"),
            targets: value(form, "Targets"),
            keywords: value(form, "Keywords"),
            field: value(form, "Field"),
            // An unparsable budget is the form's own error to show; the coach treats it as not given.
            budgetWan: number === null || isNaN(number) || number < 0 ? null : number,
            transferModes: modes,
            validUntil: /^\d{4}-\d{2}-\d{2}$/.test(until) ? until : null
        };
    }

    function button(text, testid, onClick) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = text;
        b.setAttribute("data-testid", testid);
        b.addEventListener("click", onClick);
        return b;
    }

    function changed(el, type) {
        el.dispatchEvent(new Event(type, { bubbles: true }));
    }

    function render(panel, form, data) {
        panel.querySelector("[data-testid=coach-score]").textContent = data.score + " 分";
        panel.querySelector("[data-coach-bar]").style.width = Math.max(0, Math.min(100, data.score)) + "%";
        panel.querySelector("[data-coach-status]").textContent = data.hints.length === 0 ? "需求信息已经很完整。" : "还可以补充：";

        var list = panel.querySelector("[data-testid=coach-hints]");
        list.replaceChildren.apply(list, data.hints.map(function (h) {
            var li = document.createElement("li");
            li.setAttribute("data-field", h.field);
            li.textContent = h.text;
            return li;
        }));

        var keywordsBox = panel.querySelector("[data-coach-keywords-box]");
        var keywords = panel.querySelector("[data-testid=coach-keywords]");
        keywords.replaceChildren.apply(keywords, data.keywords.map(function (k) {
            return button(k, "coach-keyword", function () {
                var input = form.elements.namedItem("Keywords");
                var current = input.value.trim().replace(/[、，,;；\s]+$/, "");
                input.value = current === "" ? k : current + "、" + k;
                changed(input, "input");
            });
        }));
        keywordsBox.hidden = data.keywords.length === 0;

        var fieldBox = panel.querySelector("[data-coach-field-box]");
        var field = panel.querySelector("[data-testid=coach-field]");
        var select = form.elements.namedItem("Field");
        if (data.field && select && select.value !== data.field) {
            field.replaceChildren(button(data.field, "coach-field-choice", function () {
                select.value = data.field;
                changed(select, "change");
            }));
            fieldBox.hidden = false;
        } else {
            field.replaceChildren();
            fieldBox.hidden = true;
        }
    }

    function attach(panel) {
        var form = panel.closest("form");
        if (!form) { return; }
        var timer = null;
        var sent = 0;
        var last = "";

        function ask() {
            var body = JSON.stringify(draft(form));
            if (body === last) { return; }
            last = body;
            var ticket = ++sent;
            fetch("/api/needs/coach", {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json", "Accept": "application/json" },
                body: body
            })
                .then(function (r) { return r.ok ? r.json() : null; })
                .then(function (data) {
                    // Only the answer to the latest draft is shown.
                    if (data && ticket === sent) {
                        render(panel, form, data);
                    }
                })
                .catch(function () { /* coaching is a convenience; a failed request leaves the panel as it is */ });
        }

        function later() {
            clearTimeout(timer);
            timer = setTimeout(ask, DELAY);
        }

        form.addEventListener("input", later);
        form.addEventListener("change", later);
        ask();
    }

    function start() {
        document.querySelectorAll("[data-coach]").forEach(attach);
    }

    // After DOMContentLoaded, so that draft.js (a later deferred script) has restored any unsaved draft first.
    if (document.readyState === "complete") {
        start();
    } else {
        document.addEventListener("DOMContentLoaded", start);
    }
})();
