// Applies the user's explicit theme choice before first paint.
// Loaded synchronously in <head> (no inline scripts: strict CSP).
(function () {
  var root = document.documentElement;
  try {
    var theme = window.localStorage.getItem("atrium-theme");
    if (theme === "light" || theme === "dark") {
      root.dataset.theme = theme;
    } else {
      // 'system', null or anything unexpected: follow prefers-color-scheme.
      delete root.dataset.theme;
    }
  } catch (e) {
    // localStorage can throw (privacy mode, disabled storage): follow the system.
  }
})();
