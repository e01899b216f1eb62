/**
 * The public pages behind unsubscribe links: plain server-rendered HTML with inline
 * styles and no scripts, in the shop's colours. They are served by route handlers so a
 * bad link can answer 400 and the one-click POST can share the page's URL.
 */
import type { ReactElement, ReactNode } from "react";
import { brandColor, textColorOn } from "@/emails/data";
import type { ConsentByChannel, LinkContact, LinkWorkspace, PreferenceChannel } from "./consent";
import { canSubscribe, PREFERENCE_CHANNELS } from "./consent";

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#111827;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:480px;margin:48px auto;padding:0 16px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:12px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.brand{padding:16px 24px;font-weight:700;font-size:18px}
.brand img{display:block;max-height:36px}
.body{padding:24px}
h1{font-size:22px;line-height:1.3;margin:0 0 12px}
p{margin:0 0 16px;color:#374151}
.muted{color:#6b7280;font-size:14px}
.btn{display:inline-block;border:0;border-radius:8px;padding:10px 18px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.btn-secondary{background:#fff;color:#111827;border:1px solid #d1d5db}
.row{display:flex;gap:12px;align-items:flex-start;padding:14px 0;border-top:1px solid #f3f4f6}
.row:first-of-type{border-top:0}
.row input{margin-top:4px;width:18px;height:18px}
.row label{font-weight:600}
.row .muted{display:block;font-weight:400}
.notice{background:#ecfdf5;color:#065f46;border-radius:8px;padding:10px 14px;margin:0 0 16px;font-size:14px}
.actions{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-top:8px}
a{color:inherit}
footer{text-align:center;margin-top:16px}
`;

type Shop = Pick<LinkWorkspace, "name" | "brandColor" | "logoUrl" | "postalAddress">;

function Page({ shop, title, children }: { shop: Shop | null; title: string; children: ReactNode }) {
  const color = brandColor(shop?.brandColor);
  const on = textColorOn(color);
  const css = `${CSS}.brand{background:${color};color:${on}}.btn-primary{background:${color};color:${on}}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{shop ? `${title} · ${shop.name}` : title}</title>
        <style>{css}</style>
      </head>
      <body>
        <main>
          <div className="card">
            {shop ? (
              <div className="brand">
                {shop.logoUrl && /^https?:\/\//.test(shop.logoUrl) ? (
                  <img src={shop.logoUrl} alt={shop.name} />
                ) : (
                  shop.name
                )}
              </div>
            ) : null}
            <div className="body">{children}</div>
          </div>
          {shop?.postalAddress.trim() ? (
            <footer className="muted">
              {shop.name} · {shop.postalAddress}
            </footer>
          ) : null}
        </main>
      </body>
    </html>
  );
}

/** `m•••@example.com`: enough for the owner to recognise, little for anyone the email was forwarded to. */
export function maskAddress(address: string | null): string {
  if (!address) return "your address";
  const at = address.indexOf("@");
  if (at > 0) return `${address.slice(0, Math.min(2, at - 1) || 1)}•••${address.slice(at)}`;
  return address.length > 4 ? `•••${address.slice(-4)}` : address;
}

const CHANNEL_NOUN: Record<string, string> = { email: "emails", sms: "text messages", push: "notifications" };

function linkBase(token: string): string {
  return `/u/${encodeURIComponent(token)}`;
}

export function ConfirmPage({
  token,
  shop,
  contact,
  channel,
}: {
  token: string;
  shop: Shop;
  contact: LinkContact;
  channel: keyof ConsentByChannel;
}) {
  const noun = CHANNEL_NOUN[channel] ?? "messages";
  const address = maskAddress(channel === "email" ? contact.email : contact.phone);
  if (contact.consent[channel] === "unsubscribed") {
    return (
      <Page shop={shop} title="You’re unsubscribed">
        <h1>You’re already unsubscribed</h1>
        <p>
          {shop.name} doesn’t send marketing {noun} to {address}.
        </p>
        <div className="actions">
          <a className="btn btn-secondary" href={`${linkBase(token)}/preferences`}>
            Manage preferences
          </a>
        </div>
      </Page>
    );
  }
  return (
    <Page shop={shop} title="Unsubscribe">
      <h1>
        Unsubscribe from {shop.name} {noun}?
      </h1>
      <p>
        We’ll stop sending marketing {noun} to {address}. Order and shipping updates still arrive.
      </p>
      <form method="post" action={linkBase(token)}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Unsubscribe
          </button>
          <a href={`${linkBase(token)}/preferences`}>Manage preferences instead</a>
        </div>
      </form>
    </Page>
  );
}

export function DonePage({
  token,
  shop,
  contact,
  channel,
}: {
  token: string;
  shop: Shop;
  contact: LinkContact;
  channel: keyof ConsentByChannel;
}) {
  const noun = CHANNEL_NOUN[channel] ?? "messages";
  const address = maskAddress(channel === "email" ? contact.email : contact.phone);
  const canResubscribe = channel !== "push";
  return (
    <Page shop={shop} title="You’re unsubscribed">
      <h1>You’re unsubscribed</h1>
      <p>
        {address} won’t get marketing {noun} from {shop.name} any more. It can take a moment for a message
        already on its way to stop.
      </p>
      {canResubscribe ? (
        <form method="post" action={`${linkBase(token)}/preferences`}>
          <input type="hidden" name="channels" value={channel} />
          <input type="hidden" name={channel} value="on" />
          <div className="actions">
            <button type="submit" className="btn btn-secondary">
              Unsubscribed by mistake? Resubscribe
            </button>
            <a href={`${linkBase(token)}/preferences`}>Manage preferences</a>
          </div>
        </form>
      ) : null}
    </Page>
  );
}

const CHANNEL_LABEL: Record<PreferenceChannel, { label: string; help: string }> = {
  email: { label: "Emails", help: "News, offers and reminders by email." },
  sms: { label: "Text messages", help: "Offers and reminders by SMS." },
};

export function PreferencesPage({
  token,
  shop,
  contact,
  saved,
}: {
  token: string;
  shop: Shop;
  contact: LinkContact;
  saved: boolean;
}) {
  const offered = PREFERENCE_CHANNELS.filter((c) => (c === "sms" ? contact.phone : contact.email));
  return (
    <Page shop={shop} title="Your preferences">
      <h1>Your preferences</h1>
      {saved ? (
        <p className="notice" role="status">
          Saved. Your choices apply from now on.
        </p>
      ) : null}
      <p>Choose what {shop.name} may send you. Order and shipping updates always arrive.</p>
      <form method="post" action={`${linkBase(token)}/preferences`}>
        {offered.map((channel) => {
          const on = contact.consent[channel] === "subscribed";
          const allowed = on || canSubscribe(contact, channel);
          const address = maskAddress(channel === "email" ? contact.email : contact.phone);
          return (
            <div className="row" key={channel}>
              <input type="hidden" name="channels" value={channel} />
              <input
                type="checkbox"
                id={`pref-${channel}`}
                name={channel}
                defaultChecked={on}
                disabled={!allowed}
              />
              <label htmlFor={`pref-${channel}`}>
                {CHANNEL_LABEL[channel].label}{" "}
                <span className="muted">{`${CHANNEL_LABEL[channel].help} To ${address}.`}</span>
                {!allowed ? <span className="muted">Sign up in the shop to get these.</span> : null}
              </label>
            </div>
          );
        })}
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Save preferences
          </button>
        </div>
      </form>
    </Page>
  );
}

export function InvalidLinkPage() {
  return (
    <Page shop={null} title="This link doesn’t work">
      <h1>This link doesn’t work</h1>
      <p>
        The link is incomplete or was changed on its way here, so we can’t tell whose preferences it is for.
      </p>
      <p className="muted">
        Open the link from the most recent email again, or reply to that email and ask to be removed. Nothing
        was changed.
      </p>
    </Page>
  );
}

export function SampleLinkPage() {
  return (
    <Page shop={null} title="Example link">
      <h1>This is an example link</h1>
      <p>
        It was in a preview or test email made with sample data. In a real email, this link lets the recipient
        unsubscribe.
      </p>
    </Page>
  );
}

export async function renderPage(element: ReactElement): Promise<string> {
  // Loaded on demand, as react-email's own renderer does, so route bundles resolve it at run time.
  const { renderToStaticMarkup } = await import("react-dom/server");
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}

/** The double opt-in confirmation link: a button (link scanners follow GETs; only the POST subscribes). */
export function OptInConfirmPage({ action, shop, address }: { action: string; shop: Shop; address: string }) {
  return (
    <Page shop={shop} title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      <p>
        {shop.name} will send its news and offers to {maskAddress(address)}. You can unsubscribe from any
        email.
      </p>
      <form method="post" action={action}>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Yes, subscribe me
          </button>
        </div>
      </form>
    </Page>
  );
}

export function OptInDonePage({ shop, outcome }: { shop: Shop; outcome: "subscribed" | "used" | "expired" }) {
  const text = {
    subscribed: ["You’re subscribed", `Thank you: ${shop.name} will keep you posted.`],
    used: [
      "This link was already used",
      "Your choice was recorded when you first clicked it. Nothing changed.",
    ],
    expired: [
      "This link has expired",
      "Sign up in the shop again to get a new confirmation email. Nothing changed.",
    ],
  }[outcome];
  return (
    <Page shop={shop} title={text[0]!}>
      <h1>{text[0]}</h1>
      <p>{text[1]}</p>
    </Page>
  );
}
