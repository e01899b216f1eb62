/* Tidings demo storefront: shows the shop's Web Push notifications and opens their link on click. */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "News from the shop";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      // The message id: a notification delivered twice is shown once.
      tag: data.tag || undefined,
      data: { url: data.url || null },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
