// Keeps the page live: asks for the state fragment once a second and swaps it
// in when the server says it changed (ETag). The fragment is HTML the server
// escaped; this file adds no markup of its own.
"use strict";
(function () {
  const main = document.getElementById("state");
  const live = document.getElementById("live");
  let etag = main.dataset.etag;
  const every = Number(main.dataset.poll) || 1000;

  function openDetails() {
    return Array.from(main.querySelectorAll("details[open]")).map(function (d) {
      const owner = d.closest("[data-trigger]");
      const items = Array.from(owner ? owner.querySelectorAll("details") : []);
      return [owner ? owner.dataset.trigger : "", items.indexOf(d)];
    });
  }

  function reopen(list) {
    list.forEach(function (pair) {
      const owner = main.querySelector('section[data-trigger="' + CSS.escape(pair[0]) + '"]');
      const items = owner ? owner.querySelectorAll("details") : [];
      if (items[pair[1]]) items[pair[1]].open = true;
    });
  }

  async function poll() {
    try {
      const response = await fetch("/ui/state", {
        headers: { "If-None-Match": etag },
        cache: "no-store",
      });
      if (response.status === 200) {
        const opened = openDetails();
        main.innerHTML = await response.text();
        etag = response.headers.get("ETag") || etag;
        main.dataset.etag = etag;
        reopen(opened);
      }
      live.textContent = "live";
      live.className = "live";
    } catch (error) {
      live.textContent = "disconnected";
      live.className = "live down";
    }
    setTimeout(poll, every);
  }
  setTimeout(poll, every);
})();
