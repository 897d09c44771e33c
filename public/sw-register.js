// Registers Atrium's service worker (an external file: the CSP allows no inline scripts).
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function (err) {
      console.warn('service worker registration failed', err);
    });
  });
}
