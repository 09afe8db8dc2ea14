// Keeps an unsaved listing form in localStorage so that closing the tab loses nothing.
// The key is the form's data-autosave value (kind:id or kind:new); the server names keys to forget in data-clear
// once it has stored the listing itself.
(function () {
    "use strict";
    var PREFIX = "techmarket.draft.";
    var SKIP = { "__RequestVerificationToken": true, "_handler": true, "Version": true, "do": true };

    function storage() {
        try {
            return window.localStorage;
        } catch (e) {
            return null;
        }
    }

    function read(form) {
        var values = {};
        Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || SKIP[el.name] || el.type === "submit" || el.type === "button") {
                return;
            }
            if (el.type === "checkbox") {
                values[el.name] = values[el.name] || [];
                if (el.checked) {
                    values[el.name].push(el.value);
                }
            } else {
                values[el.name] = el.value;
            }
        });
        return values;
    }

    function write(form, values) {
        Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || SKIP[el.name] || !(el.name in values)) {
                return;
            }
            var v = values[el.name];
            if (el.type === "checkbox") {
                el.checked = Array.isArray(v) && v.indexOf(el.value) >= 0;
            } else if (typeof v === "string") {
                el.value = v;
            }
        });
    }

    function same(a, b) {
        return JSON.stringify(a) === JSON.stringify(b);
    }

    function stamp(ms) {
        var d = new Date(ms);
        function two(n) { return (n < 10 ? "0" : "") + n; }
        return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
    }

    function notice(form, savedAt, onDiscard) {
        var box = document.createElement("div");
        box.className = "alert info draft-notice";
        box.setAttribute("role", "status");
        box.setAttribute("data-testid", "draft-restored");
        var text = document.createElement("span");
        text.textContent = "已恢复您在本机暂存、尚未保存到服务器的内容（" + stamp(savedAt) + "）。请检查后保存草稿或提交审核。";
        var discard = document.createElement("a");
        discard.href = "#";
        discard.textContent = "丢弃";
        discard.setAttribute("data-testid", "draft-discard");
        discard.addEventListener("click", function (e) {
            e.preventDefault();
            onDiscard();
            box.parentNode.removeChild(box);
        });
        box.appendChild(text);
        box.appendChild(discard);
        form.insertBefore(box, form.firstChild);
    }

    function setup(form, store) {
        var key = PREFIX + form.getAttribute("data-autosave");
        var original = read(form);
        var raw = store.getItem(key);
        if (raw) {
            try {
                var saved = JSON.parse(raw);
                if (saved && saved.values && !same(saved.values, original)) {
                    write(form, saved.values);
                    notice(form, saved.at, function () {
                        store.removeItem(key);
                        write(form, original);
                    });
                }
            } catch (e) {
                store.removeItem(key);
            }
        }

        function keep() {
            var values = read(form);
            if (same(values, original)) {
                store.removeItem(key);
            } else {
                store.setItem(key, JSON.stringify({ at: Date.now(), values: values }));
            }
        }

        form.addEventListener("input", keep);
        form.addEventListener("change", keep);
    }

    function start() {
        var store = storage();
        if (!store) {
            return;
        }
        Array.prototype.forEach.call(document.querySelectorAll("form[data-clear]"), function (form) {
            form.getAttribute("data-clear").split(/\s+/).forEach(function (k) {
                if (k) {
                    store.removeItem(PREFIX + k);
                }
            });
        });
        Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
            setup(form, store);
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
