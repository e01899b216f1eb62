/**
 * The canvas in Chromium: fit view on the seeded abandoned-cart flow reads every step's title
 * (semantic zoom) with visible edges and no overview map over a small flow; a step clicked in
 * Analytics opens its report (at fit view too); the edge "+" opens its menu on one click with a
 * step selected; steps added from the palette never land on each other, and a step dropped
 * right below another is connected to it. A generated 40-step flow with branches reads at fit
 * view too.
 */
import type { Page } from "@playwright/test";
import { expect, test, openCreateFlow } from "./fixtures";
import { longBranchedFlow } from "./generated-flow";

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

/**
 * After Fit View: every card shows its compact title — whole, or its first ~20 characters and
 * "…", none of it cut off — at least 10 px tall on screen, inside the canvas, and no two faces
 * overlap; edges at least 1.5 px wide. Returns the zoom.
 */
async function expectReadableAtFit(page: Page, steps: number, shot: string): Promise<number> {
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect.poll(() => zoomOf(page)).toBeLessThan(0.5);
  // A flow too wide for the canvas is fitted again once the side panels have made room.
  // Settled: the zoom and the canvas width read the same on two polls in a row.
  let last = "";
  await expect
    .poll(
      async () => {
        const now = [await zoomOf(page), (await page.getByTestId("canvas").boundingBox())!.width].join();
        const same = now === last;
        last = now;
        return same;
      },
      { intervals: [300] },
    )
    .toBe(true);
  const zoom = await zoomOf(page);
  await expect(page.getByTestId("canvas")).not.toHaveAttribute("data-zoom", "near");
  const cards = page.locator(".react-flow__node");
  await expect(cards).toHaveCount(steps);
  const canvasBox = (await page.getByTestId("canvas").boundingBox())!;
  const faces: Rect[] = [];
  const cut: string[] = [];
  for (let i = 0; i < steps; i++) {
    const card = cards.nth(i);
    const compact = card.getByTestId("node-compact");
    const title = compact.locator(".flow-card-compact-text");
    await expect(title).toBeVisible();
    // The compact title is the card's summary without an "Email: " lead-in.
    const summary = (await card.getByTestId("node-summary").textContent())!;
    const full = (await title.getAttribute("data-title"))!;
    expect(full.length).toBeGreaterThan(0);
    expect(summary.endsWith(full)).toBe(true);
    // What the face shows is the whole title, or at least its first ~20 characters (cut at a
    // word, then "…"), and nothing of it is cut off by the face's box.
    const shown = await title.evaluate((el: HTMLElement) => ({
      text: el.innerText.replace(/\s+/g, " ").trim(),
      clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
    }));
    expect(
      shown.clipped,
      `“${full}” is cut off on screen (canvas ${Math.round(canvasBox.width)} px wide, zoom ${zoom.toFixed(2)}, spread ${await page.getByTestId("canvas").getAttribute("data-spread")})`,
    ).toBe(false);
    const seen = full.startsWith(shown.text) ? shown.text : shown.text.replace(/…$/, "");
    expect(full.startsWith(seen), `“${shown.text}” is not the start of “${full}”`).toBe(true);
    expect(seen.length, `only “${seen}” of “${full}” reads`).toBeGreaterThanOrEqual(
      Math.min(full.length, 16),
    );
    if (seen.length < full.length) cut.push(`${seen}…`);
    const px = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px * zoom, `${full}: ${(px * zoom).toFixed(1)} px on screen`).toBeGreaterThanOrEqual(10);
    const box = (await compact.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(canvasBox.x - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width + 1);
    expect(box.y).toBeGreaterThanOrEqual(canvasBox.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(canvasBox.y + canvasBox.height + 1);
    faces.push({ id: await card.getAttribute("data-id"), ...box });
  }
  for (let i = 0; i < faces.length; i++)
    for (let j = i + 1; j < faces.length; j++) {
      const a = faces[i]!;
      const b = faces[j]!;
      const overlap =
        a.x < b.x + b.width - 0.5 &&
        b.x < a.x + a.width - 0.5 &&
        a.y < b.y + b.height - 0.5 &&
        b.y < a.y + a.height - 0.5;
      expect(overlap, `the faces of ${a.id} and ${b.id} overlap`).toBe(false);
    }
  const stroke = await page
    .locator(".react-flow__edge-path.flow-edge")
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).strokeWidth));
  expect(stroke * zoom).toBeGreaterThanOrEqual(1.5);
  await page.screenshot({ path: `test-results/${shot}.png` });
  console.log(
    `${shot}: zoom ${(zoom * 100).toFixed(0)} %, spread ${(await page.getByTestId("canvas").getAttribute("data-spread")) ?? "none"}, ${steps - cut.length} of ${steps} titles whole${cut.length ? `; shortened: ${cut.join(" | ")}` : ""}`,
  );
  return zoom;
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

  await expectReadableAtFit(page, 11, "canvas-fit-abandoned-cart");

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

test("fit view on every seeded flow reads every step's title", async ({ signedIn: page }) => {
  test.slow(); // six flows, each card read on screen
  for (const name of [
    "Welcome series",
    "Order confirmation",
    "Review request",
    "Post-purchase",
    "Browse abandonment",
  ]) {
    await openSeeded(page, name);
    const steps = await page.locator(".react-flow__node").count();
    const shot = `canvas-fit-${name.toLowerCase().replace(/[^a-z]+/g, "-")}`;
    await page.getByRole("button", { name: "Fit View" }).click();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if ((await zoomOf(page)) < 0.5) {
      await expectReadableAtFit(page, steps, shot);
      continue;
    }
    // A small flow fits at a zoom where whole cards read (two lines of each summary).
    await expect(page.getByTestId("canvas")).toHaveAttribute("data-zoom", "near");
    for (const summary of await page.getByTestId("node-summary").all()) await expect(summary).toBeVisible();
    await page.screenshot({ path: `test-results/${shot}.png` });
  }
});

test("fit view on a generated 40-step flow with branches reads every step's title", async ({
  signedIn: page,
}) => {
  test.slow(); // 40 cards, each read on screen
  const graph = longBranchedFlow();
  expect(graph.nodes).toHaveLength(40);
  const trpc = async (procedure: string, input: unknown) => {
    const res = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
    expect(res.ok(), `${procedure}: ${await res.text()}`).toBe(true);
    return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
  };
  const flow = (await trpc("flows.create", { name: "Long cart recovery" })) as { id: string };
  await trpc("flows.saveDraft", { id: flow.id, graph, baseRevision: 1 });
  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await expectReadableAtFit(page, 40, "canvas-fit-40-steps");
  // Steps stay clickable: a click on a compact card opens its inspector.
  await node(page, "email_b2").getByTestId("node-compact").click();
  await expect(page.getByTestId("step-inspector")).toHaveAttribute("data-node-id", "email_b2");
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

  // At fit view too: a compact card shows its headline number and opens its report on click.
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(page.getByTestId("analytics-canvas")).not.toHaveAttribute("data-zoom", "near");
  await expect(node(page, "wait_1d").getByTestId("node-headline")).toHaveText(/^[\d,]+ entered$/);
  await expect(node(page, "email_1").getByTestId("node-headline")).toHaveText(
    /^[\d,]+ sent · [\d,]+ conv\.$/,
  );
  await node(page, "wait_1d").getByTestId("node-compact").click();
  await expect(report).toHaveAttribute("data-node-id", "wait_1d");
  await page.screenshot({ path: "test-results/canvas-fit-analytics.png" });
  await node(page, "email_1").getByTestId("node-compact").click();
  await expect(report).toHaveAttribute("data-node-id", "email_1");
  const href = await report.getByTestId("step-report-message").first().getAttribute("href");
  await report.getByTestId("step-report-message").first().click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});

test("with a step selected, the edge + opens its menu on the first click; palette steps never overlap", async ({
  signedIn: page,
}) => {
  await page.goto("/flows");
  await openCreateFlow(page);
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

test("a step dropped from the palette right below another is connected to it", async ({ signedIn: page }) => {
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByTestId("template-abandoned_cart").click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");

  // A step with a free output: added with nothing selected, it lands unconnected.
  await page.getByTestId("palette-wait").click();
  const wait = (await page.getByTestId("step-inspector").getAttribute("data-node-id"))!;
  await expect(page.getByTestId(`rf__edge-e_${wait}_next`)).toHaveCount(0);
  // Read once the canvas has stopped moving (a new step off screen is brought into view).
  let above = (await node(page, wait).boundingBox())!;
  await expect
    .poll(async () => {
      const was = above;
      above = (await node(page, wait).boundingBox())!;
      return was.x === above.x && was.y === above.y;
    })
    .toBe(true);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  expect(above.y + above.height + 60).toBeLessThan(canvas.y + canvas.height);

  const before = await page.locator(".react-flow__node").count();
  await page.getByTestId("palette-email").dragTo(page.getByTestId("canvas"), {
    targetPosition: { x: above.x - canvas.x + above.width / 2, y: above.y - canvas.y + above.height + 40 },
  });
  await expect(page.locator(".react-flow__node")).toHaveCount(before + 1);
  const email = (await page.getByTestId("step-inspector").getAttribute("data-node-id"))!;
  expect(email).not.toBe(wait);
  await expect(page.getByTestId(`rf__edge-e_${wait}_next`)).toHaveCount(1);
  // Below it, in its column, on no other card.
  const dropped = (await node(page, email).boundingBox())!;
  const stayed = (await node(page, wait).boundingBox())!;
  expect(dropped.y).toBeGreaterThan(stayed.y + stayed.height - 1);
  expect(Math.abs(dropped.x - stayed.x)).toBeLessThan(2);
  for (const b of await cardRects(page))
    if (b.id !== email)
      expect(
        b.x < dropped.x + dropped.width &&
          dropped.x < b.x + b.width &&
          b.y < dropped.y + dropped.height &&
          dropped.y < b.y + b.height,
        `${email} lands on ${b.id}`,
      ).toBe(false);
});
