// The few things a page does in the browser; every page works without them.
(function () {
  "use strict";

  function ready(run) {
    if (document.readyState !== "loading") run(); else document.addEventListener("DOMContentLoaded", run);
  }

  ready(function () {
    // After an error, the error summary takes the focus, so a screen reader reads it first.
    var summary = document.querySelector('[data-module="error-summary"]');
    if (summary) {
      summary.focus();
    } else {
      var banner = document.querySelector('[data-module="notification-banner"]');
      // A page opened at one of its sections ("…#addresses", after a change there) stays there:
      // the banner is read out, but the page is not scrolled back to the top to show it.
      var section = window.location.hash && document.getElementById(window.location.hash.slice(1));
      if (banner) banner.focus({ preventScroll: Boolean(section) });
    }

    // A radio option's further question shows only while that option is chosen (all show without JavaScript).
    var revealing = document.querySelectorAll("input[data-aria-controls]");
    var syncReveals = function () {
      revealing.forEach(function (input) {
        var conditional = document.getElementById(input.getAttribute("data-aria-controls"));
        if (conditional) conditional.classList.toggle("app-radios__conditional--hidden", !input.checked);
      });
    };
    revealing.forEach(function (input) {
      input.setAttribute("aria-controls", input.getAttribute("data-aria-controls"));
      document.querySelectorAll('input[name="' + input.name + '"]').forEach(function (radio) {
        radio.addEventListener("change", syncReveals);
      });
    });
    syncReveals();

    // On a narrow screen the filter panel starts closed, so the results come first (it is open without JavaScript).
    var filters = document.querySelector('[data-module="filter-panel"]');
    if (filters && window.matchMedia("(max-width: 59.99rem)").matches) {
      filters.open = false;
    }

    // The navigation's Menu button on narrow screens, with aria-expanded saying whether it is open.
    var toggle = document.querySelector(".app-service-navigation__toggle");
    if (toggle) {
      var navigation = toggle.closest(".app-service-navigation");
      var narrow = window.matchMedia("(max-width: 40rem)");
      var sync = function () {
        if (narrow.matches) {
          toggle.hidden = false;
          var open = toggle.getAttribute("aria-expanded") === "true";
          navigation.classList.toggle("app-service-navigation--collapsed", !open);
        } else {
          toggle.hidden = true;
          navigation.classList.remove("app-service-navigation--collapsed");
        }
      };
      toggle.addEventListener("click", function () {
        toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
        sync();
      });
      narrow.addEventListener("change", sync);
      sync();
    }
  });
})();
