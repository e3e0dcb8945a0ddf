/* HeroDesk: live SLA clocks, keyboard shortcuts, small conveniences. No build step. */
(function () {
  "use strict";
  var skew = 0; // server time − browser time, so clocks agree with the server
  var body = document.body;
  if (body && body.dataset.now) {
    var server = Date.parse(body.dataset.now);
    if (!isNaN(server)) skew = server - Date.now();
  }
  function now() { return Date.now() + skew; }

  function duration(ms) {
    var m = Math.floor(Math.max(0, ms) / 60000);
    if (m < 1) return "<1m";
    if (m < 60) return m + "m";
    var h = Math.floor(m / 60); m = m % 60;
    if (h < 24) return h + "h " + (m < 10 ? "0" : "") + m + "m";
    return Math.floor(h / 24) + "d " + (h % 24) + "h";
  }

  // Same rule as templatetags/desk.py clock_state().
  function tick() {
    var t = now();
    document.querySelectorAll(".clock[data-due]:not([data-paused])").forEach(function (el) {
      // data-* hold Unix seconds (an empty one is NaN)
      var great = parseInt(el.dataset.great, 10) * 1000, due = parseInt(el.dataset.due, 10) * 1000;
      var late = parseInt(el.dataset.late, 10) * 1000;
      if (isNaN(due)) return;
      var state, amount, label;
      if (!isNaN(great) && t < great) { state = "great"; amount = duration(great - t); label = "to great"; }
      else if (t < due) { state = "okay"; amount = duration(due - t); label = "to okay"; }
      else if (isNaN(late) || t < late) { state = "overdue"; amount = duration(t - due); label = "overdue"; }
      else { state = "late"; amount = duration(t - due); label = "overdue, too late"; }
      el.className = "clock c-" + state;
      el.querySelector(".amount").textContent = amount;
      el.querySelector(".label").textContent = label;
    });
  }
  setInterval(tick, 5000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);

  function csrf() {
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function post(url, fields) {
    var f = document.createElement("form");
    f.method = "post"; f.action = url;
    fields.csrfmiddlewaretoken = csrf();
    Object.keys(fields).forEach(function (k) {
      var i = document.createElement("input");
      i.type = "hidden"; i.name = k; i.value = fields[k]; f.appendChild(i);
    });
    body.appendChild(f); f.submit();
  }

  // ---- queue: selection and bulk bar -------------------------------------------------
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-id], tr[data-href]")); }
  function selected() { return document.querySelector("tr.selected"); }
  function href(row) {
    var link = row.querySelector("a.open");
    return row.dataset.href || (link && link.getAttribute("href")) || "";
  }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-current"); });
    if (!row) return;
    row.classList.add("selected"); row.setAttribute("aria-current", "true");
    var link = row.querySelector("a.open");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  function move(step) {
    var all = rows(); if (!all.length) return;
    var i = all.indexOf(selected());
    select(all[Math.min(all.length - 1, Math.max(0, i < 0 ? 0 : i + step))]);
  }
  function updateBulk() {
    var n = document.querySelectorAll("input[name=ticket]:checked").length;
    var label = document.querySelector("[data-selcount]");
    var bar = document.querySelector("[data-bulkbar]");
    if (label) label.textContent = n ? n + " selected" : "Select tickets for a bulk action";
    if (bar) bar.classList.toggle("active", n > 0);
  }
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-selectall]")) {
      document.querySelectorAll("input[name=ticket]").forEach(function (c) { c.checked = t.checked; });
    }
    if (t.name === "ticket" || (t.matches && t.matches("[data-selectall]"))) updateBulk();
    if (t.matches && t.matches("[data-assign-select]") && t.value) {
      var go = t.form.querySelector("[data-assign-go]");
      if (go) go.click();
    }
  });
  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("tr[data-id], tr[data-href]");
    if (row && !e.target.closest("a, button, input, label, select")) { window.location = href(row); }
    var mention = e.target.closest && e.target.closest("[data-mention]");
    if (mention) {
      var area = document.getElementById("reply");
      if (area) {
        var at = "@" + mention.dataset.mention + " ";
        area.value = area.value + (area.value && !/\s$/.test(area.value) ? " " : "") + at;
        area.focus(); area.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    if (e.target.closest && e.target.closest("[data-shortcuts]")) openHelp();
    var use = e.target.closest && e.target.closest("[data-use-answer]");
    if (use) useAnswer(use);
  });

  // ---- similar solved tickets: an answer into the reply box, as a draft --------------
  // Nothing is sent: the text lands in the composer (public reply), the hero edits it.
  // A draft already there is kept: the answer goes below it.
  function useAnswer(button) {
    var item = button.closest("[data-similar-ticket]");
    var source = item && item.querySelector("[data-answer-text]");
    var area = document.getElementById("reply");
    if (!source || !area) return;
    var text = source.textContent;
    var had = area.value.replace(/\s+$/, "");
    area.value = had ? had + "\n\n" + text : text;
    composer("public");
    area.setSelectionRange(had ? had.length + 2 : 0, had ? had.length + 2 : 0);
    area.scrollTop = 0;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    var status = document.querySelector("[data-similar-status]");
    if (status) status.textContent = "Answer of #" + item.dataset.similarTicket + " is in the reply box as a draft: edit it before you send.";
  }

  // ---- composer --------------------------------------------------------------------------
  function composer(mode) {
    var area = document.getElementById("reply");
    if (!area) return false;
    var radio = document.getElementById(mode === "note" ? "kind-note" : "kind-public");
    if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
    area.focus();
    return true;
  }
  document.addEventListener("change", function (e) {
    if (e.target.name === "kind") {
      var c = document.getElementById("composer");
      if (c) c.classList.toggle("is-note", e.target.value === "note" && e.target.checked);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.id === "reply") {
      e.preventDefault();
      var send = e.target.form.querySelector("[data-send]");
      if (send) send.click();
    }
  });

  function openHelp() {
    var d = document.getElementById("shortcuts");
    if (d && !d.open) d.showModal();
  }

  // ---- keyboard shortcuts --------------------------------------------------------------
  function typing(el) {
    if (!el) return false;
    if (el.tagName === "INPUT") return !/^(checkbox|radio|button|submit|reset)$/.test(el.type);
    return el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName);
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && typing(e.target) && e.target.tagName !== "SELECT") {
      e.target.blur(); // leave the field: shortcuts work again
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;
    var row = selected(), ticket = document.querySelector("[data-ticket]");
    var key = e.key, handled = true;
    if (key === "?") openHelp();
    else if (key === "/") { var s = document.getElementById("qf-q") || document.getElementById("topsearch"); if (s) s.focus(); }
    else if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "Enter" && row) window.location = href(row);
    else if (key === "r" && row) window.location = href(row) + "#reply";
    else if (key === "n" && row) window.location = href(row) + "?mode=note#reply";
    else if (key === "a" && row) post(href(row) + "assign/", { assignee: "me", next: location.pathname + location.search });
    else if (key === "x" && row) { var c = row.querySelector("input[name=ticket]"); if (c) { c.checked = !c.checked; updateBulk(); } }
    else if (key === "r" && ticket) composer("public");
    else if (key === "n" && ticket) composer("note");
    else if (key === "a" && ticket) { var claim = document.querySelector("[data-claim]"); if (claim) claim.click(); else handled = false; }
    else if (key === "h" && ticket) { var h = document.querySelector("[data-handoff]"); if (h) h.click(); }
    else if (key === "Escape" && ticket) { var back = document.querySelector("[data-back]"); if (back) window.location = back.href; }
    else handled = false;
    if (handled) e.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash === "#reply") composer(/mode=note/.test(location.search) ? "note" : "public");
    markFirst();
    updateBulk();
  });
  // After a filter or "load more" swap, keep a row selected for j/k/Enter.
  function markFirst() {
    if (!document.querySelector("[data-queue]") || selected()) return;
    var first = rows()[0];
    if (first) { first.classList.add("selected"); first.setAttribute("aria-current", "true"); }
  }
  document.addEventListener("htmx:afterSettle", function () { markFirst(); updateBulk(); });
})();
