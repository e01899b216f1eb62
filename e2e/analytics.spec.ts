/**
 * Analytics on the canvas, over the demo shop's 60 days of history (the e2e server seeds it
 * with the history replay on): the seeded abandoned-cart flow shows real numbers on its
 * emails, and a condition shows the share of contacts down each branch.
 */
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Tall enough to read a whole email card and its numbers at the canvas's opening zoom.
test.use({ viewport: { width: 1440, height: 1000 } });

/** The number in a stat cell of a card ("1,204" → 1204; "12.3K" → 12300). */
async function statOf(card: Locator, stat: string): Promise<number> {
  const text = (await card.locator(`[data-stat="${stat}"] [data-stat-value]`).first().innerText()).trim();
  const m = /^([\d,.]+)([KM]?)$/.exec(text);
  if (!m) throw new Error(`"${stat}" reads "${text}"`);
  return Number(m[1]!.replaceAll(",", "")) * (m[2] === "K" ? 1_000 : m[2] === "M" ? 1_000_000 : 1);
}

async function openWithAnalytics(page: Page, flowName: string) {
  await page.goto("/flows");
  // The builder spec publishes gallery flows of the same names; the list is newest first, so
  // the seeded flow with the history is the last link of that name.
  await page.getByRole("link", { name: flowName, exact: true }).last().click();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await page.getByTestId("analytics-toggle").click();
  await expect(page.getByTestId("analytics-toggle")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("analytics-canvas")).toHaveAttribute("data-ready", "true");
  // "All time": the whole seeded history, whatever day the run falls on.
  await page.getByLabel("Date range").selectOption("all");
  // The previous range's numbers stay on screen while the new ones load: wait for them.
  await expect(page.getByTestId("analytics-panel")).toHaveAttribute("aria-busy", "false");
  await expect(page.locator('[data-testid="node-stats"][data-loading]')).toHaveCount(0);
}

test("the abandoned-cart flow shows its numbers on the email cards", async ({ signedIn: page }) => {
  await openWithAnalytics(page, "Abandoned cart");
  await expect(page.getByTestId("analytics-version-note")).toContainText("Showing version 1, the live one");
  // Read-only: no palette, no inspector, no "+" on the edges, no undo.
  await expect(page.getByTestId("analytics-canvas").locator('[data-testid^="insert-"]')).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);

  const emails = page.locator(".react-flow__node-email");
  await expect(emails).toHaveCount(3);
  const first = page.locator('.react-flow__node[data-id="email_1"]');
  await expect.poll(() => statOf(first, "sent")).toBeGreaterThan(0);
  const entered = await statOf(first, "entered");
  const sent = await statOf(first, "sent");
  const opened = await statOf(first, "opened");
  expect(entered).toBeGreaterThanOrEqual(sent);
  expect(opened).toBeGreaterThan(0);
  expect(opened).toBeLessThanOrEqual(sent);
  await expect(first.locator('[data-stat="opened"]')).toContainText(/\d+(\.\d)?%/);
  await expect(first.locator('[data-stat="revenue"]')).toHaveText(/^\$[\d,]+(\.\d\d)?$/);
  for (const card of await emails.all()) expect(await statOf(card, "entered")).toBeGreaterThan(0);

  // The trigger let in at least everyone who reached the first email; the header sums the flow.
  expect(await statOf(page.locator(".react-flow__node-trigger"), "entered")).toBeGreaterThanOrEqual(entered);
  await expect(page.getByTestId("analytics-summary")).toContainText(/Entered\s*[\d,]+/);

  // A narrower range counts no more than all time.
  await page.getByLabel("Date range").selectOption("7d");
  await expect.poll(() => statOf(first, "sent")).toBeLessThanOrEqual(sent);
  // A custom range the wrong way round is refused where it is typed.
  await page.getByLabel("Date range").selectOption("custom");
  await page.getByLabel("From", { exact: true }).fill("2026-03-10");
  await page.getByLabel("To", { exact: true }).fill("2026-03-01");
  await expect(
    page.getByRole("alert").filter({ hasText: "The end date is before the start date" }),
  ).toBeVisible();

  await page.getByLabel("Date range").selectOption("all");
  await expect.poll(() => statOf(first, "sent")).toBe(sent);
  await page.screenshot({ path: "test-results/analytics-canvas.png" });

  // The view and its range are in the address: a reload shows the same numbers.
  await expect(page).toHaveURL(/\?view=analytics&range=all$/);
  await page.reload();
  await expect(page.getByTestId("analytics-canvas")).toHaveAttribute("data-ready", "true");
  await expect(page.getByLabel("Date range")).toHaveValue("all");
  await expect.poll(() => statOf(first, "sent")).toBe(sent);

  // Off again: back to the editable draft.
  await page.getByTestId("analytics-toggle").click();
  await expect(page).not.toHaveURL(/view=analytics/);
  await expect(page.getByTestId("canvas")).toBeVisible();
  await expect(page.getByTestId("node-stats")).toHaveCount(0);
});

for (const [flowName, condition] of [
  ["Abandoned cart", "never_ordered"],
  ["Post-purchase", "first_order"],
] as const) {
  test(`${flowName}: the condition shows the share of contacts down each branch`, async ({
    signedIn: page,
  }) => {
    await openWithAnalytics(page, flowName);
    const yes = page.getByTestId(`edge-share-e_${condition}_yes`);
    const no = page.getByTestId(`edge-share-e_${condition}_no`);
    await expect(yes).toHaveText(/^\d+(\.\d)?% · [\d,]+$/);
    await expect(no).toHaveText(/^\d+(\.\d)?% · [\d,]+$/);
    const read = async (l: Locator) => {
      const [share, count] = (await l.innerText()).split(" · ");
      return { share: Number.parseFloat(share!), count: Number(count!.replaceAll(",", "")) };
    };
    const y = await read(yes);
    const n = await read(no);
    expect(y.count + n.count).toBeGreaterThan(0);
    expect(y.share + n.share).toBeGreaterThanOrEqual(99);
    expect(y.share + n.share).toBeLessThanOrEqual(101);
    // The branch counts are what the condition passed on.
    expect(y.count + n.count).toBe(
      await statOf(page.locator(`.react-flow__node[data-id="${condition}"]`), "passed"),
    );
    // Pan the condition and its branches into view for the screenshot (drags on empty canvas).
    const node = page.locator(`.react-flow__node[data-id="${condition}"]`);
    for (let i = 0; i < 5; i++) {
      const box = await node.boundingBox();
      if (!box || box.y < 450) break;
      const by = Math.min(box.y - 300, 600);
      await page.mouse.move(1250, 800);
      await page.mouse.down();
      await page.mouse.move(1250, 800 - by, { steps: 8 });
      await page.mouse.up();
    }
    await page.screenshot({ path: `test-results/analytics-branches-${condition}.png` });
  });
}
