"use client";

/**
 * "Get notified" in the storefront header: registers the push service worker, subscribes
 * the browser with the shop's VAPID key and saves the subscription for this shopper.
 */
import { useEffect, useState } from "react";
import { Bell, BellRing } from "lucide-react";
import { getShopper, useStore } from "./shopper";

type State = "unsupported" | "idle" | "working" | "on" | "denied" | "error";

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function GetNotified() {
  const store = useStore();
  const [state, setState] = useState<State>("idle");
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      setState("unsupported");
      return;
    }
    if (Notification.permission === "denied") setState("denied");
    void navigator.serviceWorker.getRegistration("/store/").then(async (reg) => {
      if (reg && (await reg.pushManager.getSubscription())) setState("on");
    });
  }, []);

  async function subscribe() {
    setState("working");
    setProblem(null);
    try {
      const auth = { authorization: `Bearer ${store.apiKey}` };
      const keyRes = await fetch("/api/v1/push/key", { headers: auth });
      if (!keyRes.ok) throw new Error(`The shop could not start notifications (${keyRes.status})`);
      const { publicKey } = (await keyRes.json()) as { publicKey: string };
      const registration = await navigator.serviceWorker.register("/push-sw.js", { scope: "/store/" });
      await navigator.serviceWorker.ready;
      if ((await Notification.requestPermission()) !== "granted") {
        setState("denied");
        return;
      }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      });
      const shopper = getShopper(store.slug);
      const res = await fetch("/api/v1/push/subscriptions", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          subscription: subscription.toJSON(),
          anonymousId: shopper.anonymousId,
          ...(shopper.userId && { userId: shopper.userId }),
          userAgent: navigator.userAgent,
        }),
      });
      if (!res.ok) throw new Error(`The shop could not save the subscription (${res.status})`);
      setState("on");
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "Notifications could not be turned on");
      setState("error");
    }
  }

  if (state === "unsupported") return null;
  if (state === "on") {
    return (
      <span
        className="flex items-center gap-1 text-sm text-stone-600"
        data-testid="store-notify"
        data-state="on"
      >
        <BellRing className="size-4" aria-hidden /> Notifications on
      </span>
    );
  }
  return (
    <span className="flex items-center gap-2 text-sm" data-testid="store-notify" data-state={state}>
      <button
        type="button"
        onClick={() => void subscribe()}
        disabled={state === "working" || state === "denied"}
        className="flex items-center gap-1 hover:underline disabled:opacity-60 disabled:hover:no-underline"
      >
        <Bell className="size-4" aria-hidden /> {state === "working" ? "Turning on…" : "Get notified"}
      </button>
      {state === "denied" ? (
        <span className="text-xs text-stone-500">Notifications are blocked in this browser.</span>
      ) : null}
      {problem ? (
        <span role="alert" className="text-xs text-red-700">
          {problem}
        </span>
      ) : null}
    </span>
  );
}
