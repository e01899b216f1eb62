/**
 * The canvas in Chromium: fit view on the seeded abandoned-cart flow reads every step's title
 * (semantic zoom) with visible edges and no overview map over a small flow; a step clicked in
 * Analytics opens its report; the edge "+" opens its menu on one click with a step selected;
 * steps added from the palette never land on each other.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

test.use({ viewport: { width: 1440, height: 1000 } });

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

type Rect = { id: string | null; x: number; y: number; width: number; height: number };

/** Each card's rectangle on screen. */
function cardRects(page: Page): Promise<Rect[]> {
  return page.locator(".react-flow__node").evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute("data-id"), x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/** The canvas zoom, read from React Flow's viewport transform. */
async function zoomOf(page: Page): Promise<number> {
  return page
    .locator(".react-flow__viewport")
    .evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
}

async function openSeeded(page: Page, name: string) {
  await page.goto("/flows");
  // Gallery flows published by other specs share names; the seeded one is the last link.
  const href = await page.getByRole("link", { name, exact: true }).last().getAttribute("href");
  await page.goto(href!);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
}

test("fit view on the abandoned-cart flow reads every step's title, edges visible, no map over steps", async ({
  signedIn: page,
}) => {
  await openSeeded(page, "Abandoned cart");
  // Opens with the trigger at the top of the canvas.
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  const trigger = (await page.locator(".react-flow__node-trigger").boundingBox())!;
  expect(trigger.y - canvas.y).toBeLessThan(80);
  // A small flow has no overview map over its steps (it can be switched on).
  await expect(page.locator(".react-flow__minimap")).toHaveCount(0);

  await page.getByRole("button", { name: "Fit View" }).click();
  await expect.poll(() => zoomOf(page)).toBeLessThan(0.5);
  const zoom = await zoomOf(page);
  await expect(page.getByTestId("canvas")).not.toHaveAttribute("data-zoom", "near");

  const cards = page.locator(".react-flow__node");
  const count = await cards.count();
  expect(count).toBe(11);
  const canvasBox = (await page.getByTestId("canvas").boundingBox())!;
  for (let i = 0; i < count; i++) {
    const card = cards.nth(i);
    const compact = card.getByTestId("node-compact");
    await expect(compact).toBeVisible();
    // The compact title is the card's summary (without an "Email: " lead-in), at least 9 px tall on screen.
    const summary = (await card.getByTestId("node-summary").textContent())!;
    const title = (await compact.locator(".flow-card-compact-text").textContent())!;
    expect(title.length).toBeGreaterThan(0);
    expect(summary.endsWith(title)).toBe(true);
    const px = await compact.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px * zoom).toBeGreaterThanOrEqual(9);
    // Every card is inside the canvas.
    const box = (await card.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(canvasBox.x - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width + 1);
  }
  // Edges at least 1.5 px wide on screen.
  const stroke = await page
    .locator(".react-flow__edge-path.flow-edge")
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).strokeWidth));
  expect(stroke * zoom).toBeGreaterThanOrEqual(1.5);
  await page.screenshot({ path: "test-results/canvas-fit-abandoned-cart.png" });

  // The overview map, when on, keeps clear of the fitted flow.
  await page.getByTestId("toggle-minimap").click();
  await expect(page.locator(".react-flow__minimap")).toBeVisible();
  await page.getByRole("button", { name: "Fit View" }).click();
  const map = (await page.locator(".react-flow__minimap").boundingBox())!;
  await expect
    .poll(async () => {
      const boxes = await cardRects(page);
      return boxes.filter(
        (b) =>
          b.x < map.x + map.width &&
          map.x < b.x + b.width &&
          b.y < map.y + map.height &&
          map.y < b.y + b.height,
      ).length;
    })
    .toBe(0);
});

test("a step clicked in Analytics opens its report beside the canvas", async ({ signedIn: page }) => {
  await openSeeded(page, "Abandoned cart");
  await page.getByTestId("analytics-toggle").click();
  await expect(page.getByTestId("analytics-canvas")).toHaveAttribute("data-ready", "true");
  await page.getByLabel("Date range").selectOption("all");
  await expect(page.getByTestId("analytics-panel")).toHaveAttribute("aria-busy", "false");

  await node(page, "email_1").click();
  const report = page.getByTestId("step-report");
  await expect(report).toHaveAttribute("data-node-id", "email_1");
  await expect(report.getByTestId("step-report-title")).toHaveText(
    (await node(page, "email_1").getByTestId("node-summary").textContent())!,
  );
  await expect(report.getByTestId("step-report-days").getByRole("img")).toBeVisible();
  const first = report.getByTestId("step-report-message").first();
  await expect(first).toHaveAttribute("href", /^\/outbox\/[0-9a-f-]{36}$/);
  await expect(report.getByTestId("step-report-messages")).not.toContainText("{{");
  await expect(report.getByTestId("step-report-conversions")).toContainText(/Conversions: [\d,]+ · \$/);
  await expect(node(page, "email_1")).toHaveClass(/flow-node-active/);
  await page.screenshot({ path: "test-results/canvas-step-report.png" });

  // Another step: its own report; the message opens in the Outbox.
  await node(page, "wait_1d").click();
  await expect(report).toHaveAttribute("data-node-id", "wait_1d");
  await expect(report.getByTestId("step-report-waiting")).toContainText(/Waiting here now: [\d,]+/);
  await node(page, "email_1").click();
  await expect(report).toHaveAttribute("data-node-id", "email_1");
  const href = await report.getByTestId("step-report-message").first().getAttribute("href");
  await report.getByTestId("step-report-message").first().click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});

test("with a step selected, the edge + opens its menu on the first click; palette steps never overlap", async ({
  signedIn: page,
}) => {
  await page.goto("/flows");
  await page.getByRole("button", { name: "Create flow" }).first().click();
  await page.getByTestId("template-abandoned_cart").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");

  // Select a step, then one click on the "+" of the edge below it.
  await node(page, "wait_1h").click();
  await expect(page.getByTestId("step-inspector")).toHaveAttribute("data-node-id", "wait_1h");
  await page.getByTestId("insert-e_wait_1h_next").click();
  const menu = page.getByRole("menu", { name: "Insert a step" });
  await expect(menu).toBeVisible();
  await menu.getByRole("menuitem", { name: "Action" }).click();
  await expect(menu).toBeHidden();
  await expect(page.locator(".react-flow__node")).toHaveCount(12);

  // The palette: after a step whose output is taken (free space, not connected), after the new
  // step (below it, connected), and twice more.
  await node(page, "trigger").click();
  await page.getByTestId("palette-email").click();
  const added = await page.getByTestId("step-inspector").getAttribute("data-node-id");
  // A new email starts on a real template, never an unknown one.
  await expect(page.getByTestId("inspector").getByLabel("Email template")).not.toHaveValue("");
  await page.getByTestId("palette-sms").click();
  const sms = await page.getByTestId("step-inspector").getAttribute("data-node-id");
  await expect(page.getByTestId(`rf__edge-e_${added}_next`)).toHaveCount(1);
  await expect(page.locator(`[data-testid="rf__edge-e_${added}_next"]`)).toHaveAttribute(
    "aria-label",
    new RegExp(`${sms}`),
  );
  await page.getByTestId("palette-wait").click();
  await page.getByTestId("palette-condition").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(16);

  const boxes = await cardRects(page);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap =
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `${a.id} and ${b.id} overlap`).toBe(false);
    }
  await expect(page.getByTestId("issues-toggle")).not.toContainText("Unknown template");
});
