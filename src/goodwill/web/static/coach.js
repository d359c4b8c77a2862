/* The reply coach as you type: ask POST /api/v1/coach (the session cookie and the page's CSRF
   token in x-csrf-token) 300 ms after the last key, then redraw the score, the draft with its
   irritants marked and the notes. Every piece of text goes in through textContent or text
   nodes, never as HTML. Offsets from the coach count characters (code points), so the draft is
   cut with Array.from, not by UTF-16 units. Without this script the form posts to /coach. */
(function () {
  "use strict";
  var DELAY_MS = 300;

  function words(name) {
    return String(name).replace(/_/g, " ");
  }

  function cut(reply, findings) {
    var chars = Array.from(reply);
    var spans = [];
    findings.forEach(function (f, i) {
      if (f.kind === "irritant" && f.start !== null && f.end !== null) {
        var start = Math.max(f.start, 0);
        var end = Math.min(f.end, chars.length);
        if (end > start) { spans.push([start, end, i + 1]); }
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    var groups = [];
    spans.forEach(function (s) {
      var last = groups[groups.length - 1];
      if (last && s[0] < last[1]) {
        last[1] = Math.max(last[1], s[1]);
        last[2].push(s[2]);
      } else {
        groups.push([s[0], s[1], [s[2]]]);
      }
    });
    var pieces = [];
    var at = 0;
    groups.forEach(function (g) {
      if (g[0] > at) { pieces.push({ text: chars.slice(at, g[0]).join(""), findings: [] }); }
      pieces.push({ text: chars.slice(g[0], g[1]).join(""), findings: g[2] });
      at = g[1];
    });
    if (at < chars.length) { pieces.push({ text: chars.slice(at).join(""), findings: [] }); }
    return pieces;
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function drawPreview(preview, reply, findings) {
    var nodes = cut(reply, findings).map(function (piece) {
      if (!piece.findings.length) { return document.createTextNode(piece.text); }
      var mark = element("mark", piece.text);
      mark.setAttribute("data-findings", piece.findings.join(" "));
      mark.title = "See note " + piece.findings.join(", ");
      return mark;
    });
    preview.replaceChildren.apply(preview, nodes);
  }

  /* "Right" / "Not right" under a note: POST /api/v1/coach/verdicts with the draft the note was
     found in; the answer says whether the line is now muted for the team. */
  function verdictButtons(f, ask) {
    var box = element("p", null, "finding-verdict");
    box.appendChild(element("span", "Is this note right? ", "muted"));
    [["right", "Right"], ["wrong", "Not right"]].forEach(function (pair) {
      var button = element("button", pair[1], "small");
      button.type = "button";
      button.setAttribute("data-verdict", pair[0]);
      button.addEventListener("click", function () { ask.verdict(f, pair[0], box); });
      box.appendChild(button);
      box.appendChild(document.createTextNode(" "));
    });
    return box;
  }

  function note(f, number, ask) {
    var item = element("li", null, "finding kind-" + f.kind + " severity-" + f.severity);
    item.id = "finding-" + number;
    var head = element("p", null, "finding-head");
    head.appendChild(element("strong", words(f.category)));
    head.appendChild(document.createTextNode(" "));
    var tag = f.kind === "irritant" ? f.kind + ", " + f.severity : f.kind;
    head.appendChild(element("span", tag, f.kind === "irritant" ? "tag bad" : "tag"));
    item.appendChild(head);
    if (f.text) {
      var quoted = element("p");
      quoted.appendChild(element("q", f.text));
      item.appendChild(quoted);
    } else if (f.kind === "irritant") {
      item.appendChild(element("p", "About the whole reply.", "muted"));
    }
    item.appendChild(element("p", f.explanation));
    if (f.suggestion) {
      var tip = element("p");
      tip.appendChild(element("strong", "Try:"));
      tip.appendChild(document.createTextNode(" " + f.suggestion));
      item.appendChild(tip);
    }
    if (ask) { item.appendChild(verdictButtons(f, ask)); }
    return item;
  }

  function draw(result, reply, verdict, ask) {
    result.querySelector("[data-coach-score]").textContent = String(verdict.score);
    result.querySelector("[data-coach-reading]").textContent =
      "· the customer: " + words(verdict.intent) + ", " + words(verdict.emotion);
    drawPreview(result.querySelector("[data-coach-preview]"), reply, verdict.findings);
    var list = result.querySelector("[data-coach-findings]");
    list.replaceChildren.apply(list, verdict.findings.map(function (f, i) {
      return note(f, i + 1, ask);
    }));
    result.querySelector("[data-coach-empty]").hidden = verdict.findings.length > 0;
  }

  function setup(form) {
    var message = form.elements.namedItem("customer_message");
    var reply = form.elements.namedItem("reply");
    var token = form.elements.namedItem("csrf_token").value;
    var relationship = form.elements.namedItem("relationship_id").value;
    var result = document.getElementById(form.getAttribute("data-result"));
    var status = result.querySelector("[data-coach-status]");
    var timer = null;
    var controller = null;
    var asked = 0;
    var verdictsApi = form.getAttribute("data-verdicts-api");

    /* the draft as it was checked travels with the verdict, so the note's offsets fit it */
    function checked(sentMessage, sentReply) {
      return {
        verdict: function (f, said, box) {
          var body = {
            customer_message: sentMessage, reply: sentReply, category: f.category,
            start: f.start, end: f.end, verdict: said
          };
          if (relationship) { body.relationship_id = relationship; }
          box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          fetch(verdictsApi, {
            method: "POST",
            credentials: "same-origin",
            headers: { "content-type": "application/json", "x-csrf-token": token },
            body: JSON.stringify(body)
          }).then(function (answer) {
            if (!answer.ok) { throw new Error("the coach answered " + answer.status); }
            return answer.json();
          }).then(function (saved) {
            var thanks = saved.muted
              ? "Noted: this line will no longer be flagged for your team."
              : "Noted, thank you.";
            box.replaceChildren(element("span", thanks, "muted"));
          }).catch(function (err) {
            box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
            status.textContent = "Your verdict was not saved (" + err.message + ").";
          });
        }
      };
    }

    function ask() {
      if (!message.value.trim() || !reply.value.trim()) { return; }
      var body = { customer_message: message.value, reply: reply.value };
      if (relationship) { body.relationship_id = relationship; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var sent = reply.value;
      var sentMessage = message.value;
      var mine = ++asked;
      status.textContent = "Checking…";
      fetch(form.getAttribute("data-api"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": token },
        body: JSON.stringify(body),
        signal: controller.signal
      }).then(function (answer) {
        if (!answer.ok) { throw new Error("the coach answered " + answer.status); }
        return answer.json();
      }).then(function (verdict) {
        if (mine !== asked) { return; }
        draw(result, sent, verdict, verdictsApi ? checked(sentMessage, sent) : null);
        status.textContent = "Checked.";
      }).catch(function (err) {
        if (err.name === "AbortError") { return; }
        status.textContent = "The coach did not answer (" + err.message + "): press Check my draft.";
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    }

    message.addEventListener("input", later);
    reply.addEventListener("input", later);
    form.setAttribute("data-live", "on");
  }

  document.querySelectorAll("form[data-coach]").forEach(setup);
}());
