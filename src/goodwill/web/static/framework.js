/* The framework editor's live review: 500 ms after the author stops typing, send the unsaved
   body and purpose to POST /api/v1/frameworks/check (session cookie, CSRF token in
   x-csrf-token) and redraw the body's mistakes or the coach's review. Text goes in through
   textContent only. Without this script the review is the saved version's. */
(function () {
  "use strict";
  var DELAY_MS = 500;
  var GROUPS = ["intents", "phases", "emotions", "stages"];

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function purpose(form) {
    var body = { body: form.elements.namedItem("body").value };
    var description = form.elements.namedItem("description").value.trim();
    if (description) { body.description = description; }
    GROUPS.forEach(function (group) {
      body[group] = Array.from(form.querySelectorAll("input[name='" + group + "']:checked"))
        .map(function (box) { return box.value; });
    });
    body.examples = form.elements.namedItem("examples").value.split("\n")
      .map(function (line) { return line.trim(); })
      .filter(function (line) { return line.length > 0; });
    return body;
  }

  function finding(f, blocks) {
    var item = element("li", null, "finding kind-" + f.kind + " severity-" + f.severity);
    var head = element("p", null, "finding-head");
    head.appendChild(element("strong", String(f.category).replace(/_/g, " ")));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("span", blocks ? "blocks" : f.kind, blocks ? "tag bad" : "tag"));
    item.appendChild(head);
    if (f.text) {
      var quoted = element("p");
      quoted.appendChild(element("q", f.text));
      item.appendChild(quoted);
    }
    item.appendChild(element("p", f.explanation));
    return item;
  }

  function draw(target, answer) {
    var nodes = [];
    if (answer.errors.length) {
      nodes.push(element("p", "The body has mistakes:", "error"));
      var list = element("ul");
      answer.errors.forEach(function (e) { list.appendChild(element("li", "line " + e.line + ": " + e.message)); });
      nodes.push(list);
    } else if (answer.review) {
      var r = answer.review;
      nodes.push(element("p", r.passed ? "Can be published" : "Blocked: fix the text, or a manager overrides with a reason"));
      nodes.push(element("p", "Score over " + r.samples + " sample messages: lowest " + r.score_min + ", mean " + r.score_mean));
      var found = element("ol", null, "findings");
      r.blocking.forEach(function (f) { found.appendChild(finding(f, true)); });
      r.findings.forEach(function (f) { found.appendChild(finding(f, false)); });
      nodes.push(found);
    }
    target.replaceChildren.apply(target, nodes);
  }

  function setup(form) {
    var token = form.elements.namedItem("csrf_token").value;
    var result = document.getElementById(form.getAttribute("data-result"));
    var status = result.querySelector("[data-review-status]");
    var target = result.querySelector("[data-review-body]");
    var timer = null;
    var asked = 0;

    function ask() {
      var body = purpose(form);
      if (!body.body.trim()) { return; }
      var mine = ++asked;
      status.textContent = "Reviewing…";
      fetch(form.getAttribute("data-api"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": token },
        body: JSON.stringify(body)
      }).then(function (answer) {
        if (!answer.ok) { throw new Error("the review answered " + answer.status); }
        return answer.json();
      }).then(function (answer) {
        if (mine !== asked) { return; }
        draw(target, answer);
        status.textContent = "Of the text as it is now (not saved).";
      }).catch(function (err) {
        status.textContent = "No live review (" + err.message + "): save to see the review.";
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.setAttribute("data-live", "on");
  }

  document.querySelectorAll("form[data-framework]").forEach(setup);
}());
