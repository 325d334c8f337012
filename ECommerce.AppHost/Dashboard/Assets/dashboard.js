// ECommerce developer dashboard: the little the pages need beyond HTML.
// - [data-refresh=MS]: re-fetches its page's live part (?fragment=1) every MS milliseconds.
// - [data-autosubmit]: a filter that applies as soon as it changes.
// - #console[data-console]: appends new console lines as they come (polls /api/console/NAME).
// - [data-confirm-busy]: an action button shows that it is working.
"use strict";

(() => {
  const withQuery = (name, value) => {
    const url = new URL(window.location.href);
    url.searchParams.set(name, value);
    return url;
  };

  // Live parts: replaced in place, keeping open details and never while the user selects text.
  document.querySelectorAll("[data-refresh]").forEach((live) => {
    const every = Number(live.dataset.refresh) || 3000;
    const refresh = async () => {
      const selecting = String(window.getSelection()).length > 0;
      if (document.hidden || selecting) {
        return;
      }
      try {
        const response = await fetch(withQuery("fragment", "1"), { headers: { Accept: "text/html" } });
        if (response.redirected || !response.ok) {
          return; // signed out or the AppHost is stopping: leave the page as it is
        }
        const open = [...live.querySelectorAll("details[open][id]")].map((d) => d.id);
        live.innerHTML = await response.text();
        open.forEach((id) => document.getElementById(id)?.setAttribute("open", ""));
      } catch {
        // The AppHost is gone: the next tick tries again.
      }
    };
    window.setInterval(refresh, every);
  });

  document.querySelectorAll("[data-autosubmit]").forEach((input) => {
    input.addEventListener("change", () => input.form?.requestSubmit());
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm-busy")) {
      const button = form.querySelector("button");
      if (button) {
        button.disabled = true;
        button.textContent += "…";
      }
    }
  });

  const consoleView = document.getElementById("console");
  if (consoleView) {
    followConsole(consoleView);
  }

  function followConsole(pre) {
    const name = pre.dataset.console;
    const query = pre.dataset.q || "";
    const follow = document.getElementById("follow");
    const count = document.getElementById("line-count");
    const maxLines = 5000;
    let after = Number(pre.dataset.after) || 0;

    const atBottom = () => pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
    const scrollToEnd = () => { pre.scrollTop = pre.scrollHeight; };
    scrollToEnd();
    pre.addEventListener("scroll", () => { if (follow) follow.checked = atBottom(); });
    follow?.addEventListener("change", () => { if (follow.checked) scrollToEnd(); });

    const lineElement = (line) => {
      const span = document.createElement("span");
      span.className = line.error ? "line stderr" : "line";
      const time = document.createElement("span");
      time.className = "ts";
      time.textContent = line.time;
      span.append(time, ...highlight(line.text, query));
      return span;
    };

    const poll = async () => {
      if (document.hidden) {
        return;
      }
      try {
        const url = `/api/console/${encodeURIComponent(name)}?after=${after}&q=${encodeURIComponent(query)}`;
        const response = await fetch(url);
        if (!response.ok) {
          return;
        }
        const data = await response.json();
        after = data.last;
        if (data.lines.length === 0) {
          return;
        }
        const stick = follow ? follow.checked : atBottom();
        pre.append(...data.lines.map(lineElement));
        while (pre.childElementCount > maxLines) {
          pre.firstElementChild.remove();
        }
        if (count) {
          count.textContent = `${pre.childElementCount} lines${query ? ` matching “${query}”` : ""}`;
        }
        if (stick) {
          scrollToEnd();
        }
      } catch {
        // The AppHost is gone: try again on the next tick.
      }
    };
    window.setInterval(poll, 1000);
  }

  // The search term marked in a line, built from text nodes (never HTML).
  function highlight(text, query) {
    if (!query) {
      return [text];
    }
    const parts = [];
    const lower = text.toLowerCase();
    const needle = query.toLowerCase();
    let position = 0;
    let found;
    while ((found = lower.indexOf(needle, position)) >= 0) {
      parts.push(text.slice(position, found));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(found, found + query.length);
      parts.push(mark);
      position = found + query.length;
    }
    parts.push(text.slice(position));
    return parts;
  }
})();
