import { test, expect, openCreateFlow } from "./fixtures";

test("previews an email for a real contact, sends a test, and unsubscribes from the Outbox", async ({
  signedIn: page,
}) => {
  // The gallery: every template with sample data.
  await page.goto("/preview");
  await expect(page.getByRole("heading", { name: "Email templates", level: 1 })).toBeVisible();
  await expect(page.getByTestId("template-card")).toHaveCount(21);
  await expect(page.locator('iframe[title="Abandoned cart 1 thumbnail"]')).toBeAttached();
  await page.screenshot({ path: "test-results/emails-gallery.png" });

  await page.getByTestId("template-card").filter({ hasText: "Abandoned cart 1" }).click();
  await expect(page).toHaveURL(/\/preview\?template=abandoned_cart_1$/);
  const preview = page.getByTestId("email-preview");
  // Sample data first.
  await expect(preview.getByTestId("preview-subject")).toHaveText("Maya, you left something behind");
  await expect(
    page.frameLocator('iframe[title="Email preview"]').getByText("Organic Sencha Green Tea"),
  ).toBeVisible();

  // Pick a real, subscribed contact who started a checkout.
  await preview.getByTestId("preview-as").click();
  const option = page.locator('[data-testid="preview-contact-option"][data-consent="subscribed"]').first();
  await expect(option).toBeVisible();
  const name = (await option.getAttribute("data-name")) ?? "";
  const email = (await option.getAttribute("data-email")) ?? "";
  const firstName = name.split(" ")[0] ?? "";
  expect(firstName).not.toBe("");
  await option.click();

  await expect(preview.getByTestId("preview-subject")).toHaveText(`${firstName}, you left something behind`);
  await expect(preview.getByTestId("inbox-header")).toContainText(`to ${email}`);
  const summary = (await preview.getByTestId("preview-event-summary").textContent()) ?? "";
  expect(summary).toContain(`${name}’s “Started Checkout”`);
  const firstItem =
    summary
      .split(": ")
      .slice(1)
      .join(": ")
      .split(/ × \d+|, | · /)[0]
      ?.trim() ?? "";
  expect(firstItem).not.toBe("");
  const frame = page.frameLocator('iframe[title="Email preview"]');
  await expect(frame.getByText(firstItem).first()).toBeVisible();
  await expect(frame.getByText("Organic Sencha Green Tea")).toHaveCount(0);
  await page.screenshot({ path: "test-results/emails-preview-desktop.png", fullPage: true });

  // Mobile width, then plain text.
  await preview.getByRole("button", { name: "Mobile" }).click();
  await expect(page.locator('iframe[title="Email preview"]')).toHaveAttribute("data-device", "mobile");
  await expect(preview.getByTestId("phone-frame")).toBeVisible();
  await expect(frame.getByText(firstItem).first()).toBeVisible();
  await page.screenshot({ path: "test-results/emails-preview-mobile.png", fullPage: true });
  await preview.getByRole("button", { name: "Plain text" }).click();
  await expect(preview.getByTestId("preview-text")).toContainText(firstItem);
  await preview.getByRole("button", { name: "HTML" }).click();

  // Send a test to the signed-in member; it lands in the Outbox.
  await preview.getByRole("button", { name: "Send test" }).click();
  await expect(preview.getByTestId("send-test-result")).toContainText("Test sent to demo@tidings.dev.");
  const subject = `[Test] ${firstName}, you left something behind`;

  await page.getByRole("link", { name: "Outbox" }).first().click();
  await expect(page).toHaveURL(/\/outbox$/);
  const row = page.getByTestId("outbox-row").filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Test send")).toBeVisible();
  await expect(row.getByTestId("message-status")).toHaveText("sent");
  await page.screenshot({ path: "test-results/emails-outbox.png" });
  // The SMS filter leaves the test email out.
  await page.getByRole("navigation", { name: "Channel" }).getByRole("link", { name: "SMS" }).click();
  await expect(page).toHaveURL(/channel=sms/);
  await expect(page.getByTestId("outbox-row").filter({ hasText: subject })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Channel" }).getByRole("link", { name: "Email" }).click();

  // The message view: the email as sent, and who it was rendered for.
  await page
    .getByTestId("outbox-row")
    .filter({ hasText: subject })
    .getByRole("link", { name: subject })
    .click();
  await expect(page).toHaveURL(/\/outbox\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: subject, level: 1 })).toBeVisible();
  await expect(page.getByTestId("message-contact")).toContainText(name);
  await expect(page.getByTestId("message-contact")).toContainText("Email: subscribed");
  const sent = page.frameLocator('iframe[title="Sent email"]');
  await expect(sent.getByText(firstItem).first()).toBeVisible();
  await page.screenshot({ path: "test-results/emails-outbox-message.png", fullPage: true });

  // Unsubscribe from inside the email: the link opens the confirmation page in a new tab.
  const popupOpened = page.waitForEvent("popup");
  await sent.getByRole("link", { name: "Unsubscribe" }).click();
  const unsubscribe = await popupOpened;
  await expect(unsubscribe).toHaveURL(/\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  await expect(
    unsubscribe.getByRole("heading", { name: "Unsubscribe from Juniper Roasters emails?" }),
  ).toBeVisible();
  await unsubscribe.screenshot({ path: "test-results/emails-unsubscribe-confirm.png" });

  // Opening the page changed nothing yet.
  await page.goto(`/contacts?q=${encodeURIComponent(email)}`);
  const contact = page.getByTestId("contact-row").filter({ hasText: email });
  await expect(contact.getByText("Email: subscribed")).toBeVisible();

  await unsubscribe.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(unsubscribe.getByRole("heading", { name: "You’re unsubscribed" })).toBeVisible();
  await unsubscribe.screenshot({ path: "test-results/emails-unsubscribe-done.png" });
  await page.reload();
  await expect(contact.getByText("Email: unsubscribed")).toBeVisible();
  await page.screenshot({ path: "test-results/emails-contact-unsubscribed.png" });

  // Changed their mind: resubscribe from the preference page.
  await unsubscribe.getByRole("link", { name: "Manage preferences" }).click();
  await expect(unsubscribe.getByRole("heading", { name: "Your preferences" })).toBeVisible();
  await expect(unsubscribe.getByLabel(/Emails/)).not.toBeChecked();
  await unsubscribe.getByLabel(/Emails/).check();
  await unsubscribe.getByRole("button", { name: "Save preferences" }).click();
  await expect(unsubscribe.getByRole("status")).toContainText("Saved.");
  await expect(unsubscribe.getByLabel(/Emails/)).toBeChecked();
  await unsubscribe.screenshot({ path: "test-results/emails-preferences.png" });
  await page.reload();
  await expect(contact.getByText("Email: subscribed")).toBeVisible();
});

test("an unsubscribe link that was changed shows a friendly 400 page", async ({ page }) => {
  const response = await page.goto("/u/eyJ3IjoiYSJ9.not-a-real-signature");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "This link doesn’t work" })).toBeVisible();
  await expect(page.getByText("Nothing was changed.")).toBeVisible();
});

test("an unknown template is reported above the gallery", async ({ signedIn: page }) => {
  await page.goto("/preview?template=not_a_template");
  await expect(page.getByRole("alert").filter({ hasText: "There is no template" })).toHaveText(
    "There is no template called “not_a_template”.",
  );
  await expect(page.getByTestId("template-card")).toHaveCount(21);
});

test("the email step's inspector previews the email for a real contact, at desktop and mobile width", async ({
  signedIn: page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByTestId("template-abandoned_cart").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await page.getByRole("button", { name: "Fit View" }).click();

  await page.locator('.react-flow__node[data-id="email_1"]').click();
  const inspector = page.getByTestId("step-inspector");
  await expect(inspector).toHaveAttribute("data-node-id", "email_1");
  const slot = inspector.locator('[data-slot="email-preview"]');
  const preview = slot.getByTestId("email-preview");
  const frame = page.frameLocator('iframe[title="Email preview"]');
  // Sample data first, for the flow's trigger.
  await expect(preview.getByTestId("preview-subject")).toHaveText("Maya, you left something behind");
  await expect(frame.getByText("Organic Sencha Green Tea")).toBeVisible();

  // A real, subscribed contact and their latest checkout.
  await preview.getByTestId("preview-as").click();
  const option = page.locator('[data-testid="preview-contact-option"][data-consent="subscribed"]').first();
  await expect(option).toBeVisible();
  const name = (await option.getAttribute("data-name")) ?? "";
  const firstName = name.split(" ")[0] ?? "";
  expect(firstName).not.toBe("");
  await option.click();
  await expect(preview.getByTestId("preview-subject")).toHaveText(`${firstName}, you left something behind`);
  const summary = (await preview.getByTestId("preview-event-summary").textContent()) ?? "";
  expect(summary).toContain(`${name}’s “Started Checkout”`);
  const firstItem =
    summary
      .split(": ")
      .slice(1)
      .join(": ")
      .split(/ × \d+|, | · /)[0]
      ?.trim() ?? "";
  expect(firstItem).not.toBe("");
  await expect(frame.getByText(firstItem).first()).toBeVisible();
  await expect(frame.getByText("Organic Sencha Green Tea")).toHaveCount(0);

  // The preview fits the inspector: nothing sticks out sideways.
  const panel = await page.getByTestId("inspector").boundingBox();
  const shown = await slot.boundingBox();
  expect(panel && shown).toBeTruthy();
  expect(shown!.x).toBeGreaterThanOrEqual(panel!.x);
  expect(shown!.x + shown!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 1);
  await slot.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/emails-inspector-desktop.png" });

  await preview.getByRole("button", { name: "Mobile" }).click();
  await expect(page.locator('iframe[title="Email preview"]')).toHaveAttribute("data-device", "mobile");
  await expect(preview.getByTestId("phone-frame")).toBeVisible();
  await expect(frame.getByText(firstItem).first()).toBeVisible();
  await preview.getByTestId("phone-frame").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/emails-inspector-mobile.png" });

  // A long letter (≈ 24,000 characters, more than a URL may carry) still previews.
  const paragraph =
    "We roast in small batches every Tuesday and ship the same week, so your beans arrive at their best. ".repeat(
      12,
    );
  await inspector
    .getByRole("textbox", { name: "Body" })
    .fill(`${Array.from({ length: 20 }, () => paragraph).join("\n\n")}\n\nThat is the end of a long letter.`);
  await expect(frame.getByText("That is the end of a long letter.")).toBeVisible();
  await page.screenshot({ path: "test-results/emails-inspector-long-letter.png" });
});

test("an email from the demo shop's history opens in the Outbox with its body", async ({
  signedIn: page,
}) => {
  // The newest page of sent emails: its last row is from the seeded history (no e2e spec sends 100).
  await page.goto("/outbox?channel=email&status=sent");
  const rows = page.getByTestId("outbox-row");
  test.skip((await rows.count()) < 20, "the demo shop was seeded without its history (E2E_SEED_HISTORY=off)");
  // Subjects are shown merged for the contact, history rows included.
  await expect(rows.last()).not.toContainText("{{");
  await expect(page.getByTestId("outbox-row").filter({ hasText: "{{" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/emails-outbox-list.png" });
  await rows.last().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/outbox\/[0-9a-f-]{36}$/);
  await expect(page.getByText("history", { exact: true })).toBeVisible(); // the provider: a replayed send, stored unrendered
  await expect(page.getByText("No rendered copy of this email was stored.")).toHaveCount(0);
  const sent = page.frameLocator('iframe[title="Sent email"]');
  await expect(sent.locator("body")).toContainText("Juniper Roasters");
  await expect(sent.getByRole("link").first()).toBeVisible();
  await page.screenshot({ path: "test-results/emails-outbox-history.png", fullPage: true });
});
