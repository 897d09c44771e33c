/* Atrium service worker.
 *
 * Served by the server at /sw.js with __ATRIUM_BUILD_ID__ replaced by a hash
 * of the build's assets, so every deploy gets a fresh cache and the old ones
 * are dropped on activate.
 */
"use strict";

const BUILD_ID = "__ATRIUM_BUILD_ID__";
const CACHE_PREFIX = "atrium-";
const CACHE_NAME = `${CACHE_PREFIX}shell-${BUILD_ID}`;
const OFFLINE_URL = "/offline.html";

const PRECACHE_URLS = [
  OFFLINE_URL,
  "/offline.css",
  "/manifest.webmanifest",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/theme-init.js",
];

// Never served from / stored in the cache.
const NEVER_CACHE_PREFIXES = ["/api/", "/ws/"];
const NEVER_CACHE_EXACT = new Set(["/api", "/ws", "/metrics", "/healthz", "/readyz", "/sw.js"]);

// Same-origin static files handled stale-while-revalidate.
const STATIC_EXT = /\.(?:css|js|png|svg|ico|webp|jpg|jpeg|gif|woff2?|webmanifest)$/i;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // Bypass the HTTP cache so the precache matches this build.
      await cache.addAll(PRECACHE_URLS.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

function neverCache(pathname) {
  return (
    NEVER_CACHE_EXACT.has(pathname) ||
    NEVER_CACHE_PREFIXES.some((prefix) => pathname.startsWith(prefix))
  );
}

function cacheable(response) {
  return response && response.ok && response.type === "basic";
}

async function putInCache(request, response) {
  if (!cacheable(response)) return;
  const cache = await caches.open(CACHE_NAME);
  await cache.put(request, response);
}

// /pkg/* file names carry a content hash: a cached copy is always valid.
async function cacheFirst(event) {
  const cached = await caches.match(event.request);
  if (cached) return cached;
  const response = await fetch(event.request);
  if (cacheable(response)) {
    event.waitUntil(putInCache(event.request, response.clone()));
  }
  return response;
}

/* Navigations: network-first. When the network fails we ALWAYS answer with
 * the precached /offline.html rather than a cached copy of the page. This is
 * deliberate: it keeps offline behaviour predictable (the e2e offline test
 * expects the offline page), and it means authenticated, tenant-specific HTML
 * is never persisted in Cache Storage (shared devices, sign-out). Because a
 * cached page would never be served, successful navigations are not stored. */
async function networkFirstNavigation(event) {
  try {
    return await fetch(event.request);
  } catch (err) {
    const offline = await caches.match(OFFLINE_URL);
    return (
      offline ||
      new Response("You're offline. Atrium will reconnect when the network is back.", {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      })
    );
  }
}

async function staleWhileRevalidate(event) {
  const cached = await caches.match(event.request);
  const network = fetch(event.request)
    .then(async (response) => {
      if (cacheable(response)) {
        await putInCache(event.request, response.clone());
      }
      return response;
    });
  if (cached) {
    // Refresh in the background; ignore network errors.
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;

  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (neverCache(url.pathname)) return;
  // Partial content cannot be stored; let the browser handle it.
  if (request.headers.has("range")) return;

  if (request.mode === "navigate") {
    event.respondWith(networkFirstNavigation(event));
    return;
  }

  if (url.pathname.startsWith("/pkg/")) {
    event.respondWith(cacheFirst(event));
    return;
  }

  if (url.pathname.startsWith("/icons/") || STATIC_EXT.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event));
  }
  // Everything else: default browser handling (network).
});
