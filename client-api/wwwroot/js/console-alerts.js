// Keeps a console's alert list live. The console's own stream says when an alert is raised; the list is then
// fetched again as the server renders it (encoded, with its forms), so no markup is ever built here from alert
// data. Without scripts the list is as fresh as the last page load.
(function () {
  "use strict";
  var board = document.getElementById("alerts");
  var status = document.getElementById("alerts-status");
  if (!board || !status || typeof window.EventSource !== "function") {
    return;
  }

  var busy = false;
  var again = false;

  // What a supervisor has opened or typed in the list, by alert id, so a new alert does not wipe it.
  function inProgress() {
    var kept = {};
    board.querySelectorAll("tr[data-alert]").forEach(function (row) {
      var details = row.querySelector("details");
      if (details && details.open) {
        kept[row.getAttribute("data-alert")] = Array.prototype.map.call(row.querySelectorAll("textarea"), function (t) { return t.value; });
      }
    });
    return kept;
  }

  function restore(kept) {
    board.querySelectorAll("tr[data-alert]").forEach(function (row) {
      var texts = kept[row.getAttribute("data-alert")];
      var details = row.querySelector("details");
      if (texts && details) {
        details.open = true;
        row.querySelectorAll("textarea").forEach(function (t, i) { t.value = texts[i]; });
      }
    });
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }

    busy = true;
    fetch(board.getAttribute("data-alert-refresh"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("alerts answered " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#alerts");
        if (fresh) {
          var kept = inProgress();
          board.replaceWith(fresh);
          board = fresh;
          restore(kept);
          status.textContent = "收到新预警 New alert received";
        }
      })
      .catch(function () {
        // The list stays as it was; the next alert, or a reload, brings it up to date.
        status.textContent = "预警列表未能刷新，请重新加载页面 The list could not be refreshed; reload the page";
      })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource(board.getAttribute("data-alert-stream"));
  source.addEventListener("open", function () {
    status.setAttribute("data-connected", "true");
  });
  source.addEventListener("error", function () {
    // EventSource reconnects by itself (sending Last-Event-ID); only a closed source means signed out.
    status.setAttribute("data-connected", "false");
  });
  source.addEventListener("alert", refresh);
})();
