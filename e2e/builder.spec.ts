/**
 * The flow builder in Chromium: build the abandoned-cart flow from a blank canvas with the
 * mouse, fix what the validator flags, publish, reload and find the same graph; publish
 * every gallery template; undo/redo; refused connections; two tabs saving the same draft.
 */
import type { Locator, Page } from "@playwright/test";
import { flowTemplates } from "../server/engine/templates";
import { expect, signIn, test, openCreateFlow } from "./fixtures";

// One sign-in for the whole file (sign-in is rate limited); every test starts signed in on the flows list.
const AUTH_STATE = "test-results/builder-auth-state.json";
test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  await signIn(page);
  await expect(page).toHaveURL(/\/flows$/);
  await page.context().storageState({ path: AUTH_STATE });
  await page.close();
});
test.use({ viewport: { width: 1600, height: 1000 }, storageState: AUTH_STATE });
test.beforeEach(async ({ page }) => {
  await page.goto("/flows");
  await expect(page.getByRole("heading", { name: "Flows", level: 1 })).toBeVisible();
});

const pane = (page: Page) => page.locator(".react-flow__pane");
const inspector = (page: Page) => page.getByTestId("inspector");
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function createBlankFlow(page: Page, name: string) {
  await openCreateFlow(page);
  await page.getByLabel("Flow name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toBeVisible();
}

async function openTemplate(page: Page, key: string) {
  await page.goto("/flows");
  await openCreateFlow(page);
  await page.getByTestId(`template-${key}`).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  // Tall flows open at a readable zoom at their trigger; show all of it.
  await page.getByRole("button", { name: "Fit View" }).click();
}

/** Drags a palette item onto the canvas at (x, y) of the pane; returns the new step's id. */
async function dropStep(page: Page, kind: string, x: number, y: number): Promise<string> {
  const cards = page.locator(`.react-flow__node-${kind}`);
  const before = await cards.count();
  await page.getByTestId(`palette-${kind}`).dragTo(pane(page), { targetPosition: { x, y } });
  await expect(cards).toHaveCount(before + 1);
  const id = await cards.nth(before).getAttribute("data-id");
  expect(id).toBeTruthy();
  // The new step is selected: its form is in the inspector.
  await expect(page.getByTestId("step-inspector")).toHaveAttribute("data-node-id", id!);
  return id!;
}

async function centre(locator: Locator) {
  // A new step may still be scrolling into view: poll until the box stops moving.
  let last = "";
  await expect
    .poll(
      async () => {
        const box = await locator.boundingBox();
        const now = box ? `${box.x},${box.y},${box.width},${box.height}` : "off screen";
        const settled = now === last && box !== null;
        last = now;
        return settled;
      },
      { intervals: [100] },
    )
    .toBe(true);
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an output handle to a step's input with the mouse. */
async function dragConnection(page: Page, source: string, handle: string, target: string) {
  const from = await centre(page.getByTestId(`handle-${source}-${handle}`));
  const to = await centre(node(page, target).locator(".react-flow__handle.target"));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

async function connect(page: Page, source: string, handle: string, target: string) {
  await dragConnection(page, source, handle, target);
  await expect(page.getByTestId(`rf__edge-e_${source}_${handle}`)).toHaveCount(1);
}

async function select(page: Page, id: string) {
  // The card itself: at a far zoom its small words give way to its compact face.
  await node(page, id).click();
  await expect(page.getByTestId("step-inspector")).toHaveAttribute("data-node-id", id);
}

/** The canvas as data: each step's kind and summary, and each edge. */
async function readCanvas(page: Page) {
  const nodes = await page.locator(".react-flow__node").evaluateAll((els) =>
    els.map((el) => ({
      id: el.getAttribute("data-id"),
      kind: [...el.classList]
        .find((c) => c.startsWith("react-flow__node-"))
        ?.slice("react-flow__node-".length),
      summary: el.querySelector('[data-testid="node-summary"]')?.textContent,
    })),
  );
  const edges = await page
    .locator(".react-flow__edge")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-id")));
  return { nodes: nodes.sort((a, b) => String(a.id).localeCompare(String(b.id))), edges: edges.sort() };
}

async function publish(page: Page) {
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog.getByTestId("confirm-publish")).toBeEnabled();
  await dialog.getByTestId("confirm-publish").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("flow-status")).toHaveText("live");
}

test("builds the abandoned-cart flow from a blank canvas, publishes it and finds it again after a reload", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await createBlankFlow(page, "Cart rescue");
  const panel = inspector(page);

  const trigger = await dropStep(page, "trigger", 170, 70);
  await panel.getByLabel("Event", { exact: true }).selectOption("Started Checkout");
  await expect(node(page, trigger).getByTestId("node-summary")).toHaveText("When Started Checkout");
  // One trigger per flow: the palette's trigger is now off.
  await expect(page.getByTestId("palette-trigger")).toBeDisabled();

  const waitHour = await dropStep(page, "wait", 170, 250);
  await panel.getByLabel("How long").fill("1");
  await panel.getByLabel("Unit").selectOption("hours");
  await expect(node(page, waitHour).getByTestId("node-summary")).toHaveText("Wait 1 hour");
  await connect(page, trigger, "next", waitHour);

  const firstEmail = await dropStep(page, "email", 170, 430);
  await panel.getByLabel("Email template").selectOption({ label: "Abandoned cart 1" });
  await expect(panel.getByLabel("Subject", { exact: true })).toHaveValue(/you left something behind/);
  await expect(node(page, firstEmail).getByTestId("node-summary")).toContainText("you left something behind");
  await connect(page, waitHour, "next", firstEmail);

  const waitDay = await dropStep(page, "wait", 170, 610);
  await expect(node(page, waitDay).getByTestId("node-summary")).toHaveText("Wait 1 day");
  await connect(page, firstEmail, "next", waitDay);

  const condition = await dropStep(page, "condition", 560, 70);
  // An empty condition is a problem the validator names, on the card and in the list.
  await expect(node(page, condition).getByTestId("node-card")).toHaveAttribute("data-invalid", "true");
  await page.getByTestId("issues-toggle").click();
  const issues = page.getByTestId("issues-list");
  await expect(
    issues.locator(`[data-node-id="${condition}"]`).filter({ hasText: "Add at least one condition." }),
  ).toHaveCount(1);
  await page.screenshot({ path: "test-results/builder-validation.png" });
  await panel.getByRole("button", { name: "Add condition" }).click();
  await panel.getByTestId("condition-row").getByLabel("Event", { exact: true }).selectOption("Placed Order");
  await expect(node(page, condition).getByTestId("node-summary")).toHaveText("If Placed Order since start");
  await expect(
    issues.locator(`[data-node-id="${condition}"]`).filter({ hasText: "Add at least one condition." }),
  ).toHaveCount(0);
  await connect(page, waitDay, "next", condition);

  const couponEmail = await dropStep(page, "email", 560, 300);
  await panel.getByLabel("Email template").selectOption({ label: "Abandoned cart 3 (coupon)" });
  await expect(panel.getByLabel("Coupon code", { exact: true })).toHaveValue("COMEBACK10");
  await connect(page, condition, "no", couponEmail);

  const exit = await dropStep(page, "exit", 560, 520);
  await connect(page, condition, "yes", exit);

  // The coupon email's open output is a problem until it is connected.
  const open = issues
    .locator(`[data-node-id="${couponEmail}"]`)
    .filter({ hasText: "Connect this step to a next step (or an Exit)." });
  await expect(open).toHaveCount(1);
  await connect(page, couponEmail, "next", exit);
  await expect(open).toHaveCount(0);
  await expect(page.getByTestId("issues-toggle")).toHaveText("Ready to publish");

  // The goal: ordering ends the flow.
  await panel.getByRole("tab", { name: "Flow settings" }).click();
  await panel.getByLabel("End the flow when the contact converts").check();
  await expect(panel.getByLabel("Goal event")).toHaveValue("Placed Order");

  await page.getByTestId("auto-layout").click();
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  const built = await readCanvas(page);
  expect(built.nodes.map((n) => [n.kind, n.summary])).toEqual(
    expect.arrayContaining([
      ["trigger", "When Started Checkout"],
      ["wait", "Wait 1 hour"],
      ["wait", "Wait 1 day"],
      ["condition", "If Placed Order since start"],
      ["exit", "Exit"],
      ["email", "Email: Here’s 10% off to finish your order"],
    ]),
  );
  expect(built.edges).toHaveLength(7);

  await publish(page);
  await page.reload();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("flow-status")).toHaveText("live");
  expect(await readCanvas(page)).toEqual(built);
  await inspector(page).getByRole("tab", { name: "Flow settings" }).click();
  await expect(inspector(page).getByLabel("Goal event")).toHaveValue("Placed Order");
});

test("opens every gallery template and publishes each one that needs nothing more", async ({ page }) => {
  const templates = flowTemplates();
  test.setTimeout(templates.length * 15_000);
  expect(templates).toHaveLength(14);
  // The birthday offer draws unique codes from the workspace's "Birthday" pool, which starts
  // empty: its email, text and reminder each say so, and it waits for codes (e2e/coupons.spec.ts).
  const needsCodes = (key: string) => key === "birthday";
  for (const template of templates) {
    await openTemplate(page, template.key);
    await expect(page.getByLabel("Flow name")).toHaveValue(template.name);
    await expect(page.locator(".react-flow__node")).toHaveCount(template.graph.nodes.length);
    if (needsCodes(template.key)) {
      await expect(page.getByTestId("issues-toggle"), template.key).toHaveText("3 problems");
      continue;
    }
    await expect(page.getByTestId("issues-toggle"), template.key).toHaveText("Ready to publish");
    if (template.key === "review_request")
      await page.screenshot({ path: "test-results/builder-template.png" });
    await publish(page);
  }
  await page.goto("/flows");
  for (const template of templates.filter((t) => !needsCodes(t.key))) {
    await expect(page.getByTestId("flow-row").filter({ hasText: template.name }).first()).toContainText(
      "live",
    );
  }
});

test("undo and redo restore the canvas; a step goes in on an edge's +", async ({ page }) => {
  await openTemplate(page, "abandoned_cart");
  const cards = page.locator(".react-flow__node");
  const start = await readCanvas(page);
  const count = start.nodes.length;

  // Insert a condition between the first email and the one-day wait.
  await page.getByTestId("insert-e_email_1_next").click();
  await page.getByRole("menuitem", { name: "Condition" }).click();
  await expect(cards).toHaveCount(count + 1);
  await expect(page.getByTestId("rf__edge-e_email_1_next")).toHaveCount(1);
  await expect(page.getByTestId("rf__edge-e_condition_1_yes")).toHaveCount(1);
  const inserted = await readCanvas(page);

  await select(page, "sms_reminder");
  await page.keyboard.press("Delete");
  await expect(cards).toHaveCount(count);
  await expect(node(page, "sms_reminder")).toHaveCount(0);

  await page.keyboard.press("ControlOrMeta+z");
  await expect(cards).toHaveCount(count + 1);
  expect(await readCanvas(page)).toEqual(inserted);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(cards).toHaveCount(count);
  expect(await readCanvas(page)).toEqual(start);

  await page.keyboard.press("ControlOrMeta+Shift+z");
  await expect(cards).toHaveCount(count + 1);
  expect(await readCanvas(page)).toEqual(inserted);
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(node(page, "sms_reminder")).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(node(page, "sms_reminder")).toHaveCount(1);

  // Copy and paste: a second copy of the SMS step, selected.
  await select(page, "sms_reminder");
  await page.keyboard.press("ControlOrMeta+c");
  await page.keyboard.press("ControlOrMeta+v");
  await expect(page.locator(".react-flow__node-sms")).toHaveCount(2);
});

test("refuses a second trigger and a loop without a wait while dragging", async ({ page }) => {
  await openTemplate(page, "order_confirmation");
  await expect(page.getByTestId("palette-trigger")).toBeDisabled();
  const a = await dropStep(page, "email", 640, 300);
  const b = await dropStep(page, "sms", 640, 480);
  await connect(page, a, "next", b);
  // b → a would loop with no wait on it.
  await dragConnection(page, b, "next", a);
  await expect(page.getByTestId("notice")).toContainText("loop without a wait");
  await expect(page.getByTestId(`rf__edge-e_${b}_next`)).toHaveCount(0);
  // Nothing leads into the trigger: it has no input to drop on.
  await expect(node(page, "trigger").locator(".react-flow__handle.target")).toHaveCount(0);
  const from = await centre(page.getByTestId(`handle-${b}-next`));
  const to = await centre(node(page, "trigger"));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
  await expect(page.getByTestId(`rf__edge-e_${b}_next`)).toHaveCount(0);
});

test("shows each step's form, checked against its schema", async ({ page }) => {
  await openTemplate(page, "abandoned_cart");
  await select(page, "email_3");
  const panel = inspector(page);
  await expect(panel.getByLabel("Subject", { exact: true })).toHaveValue(
    "Here’s 10% off to finish your order",
  );
  await expect(panel.locator('[data-slot="email-preview"]')).toHaveCount(1);
  await page.screenshot({ path: "test-results/builder-inspector.png" });

  await select(page, "wait_2d");
  await panel.getByLabel("How long").fill("");
  await expect(panel.getByText("This should be a number")).toBeVisible();
  await expect(node(page, "wait_2d").getByTestId("node-summary")).toHaveText("Wait 2 days");
  await panel.getByLabel("How long").fill("3");
  await expect(panel.getByText("This should be a number")).toHaveCount(0);
  await expect(node(page, "wait_2d").getByTestId("node-summary")).toHaveText("Wait 3 days");
});

test("two tabs on one draft: the stale one is told and can reload", async ({ page, context }) => {
  await openTemplate(page, "welcome_series");
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId("canvas")).toHaveAttribute("data-ready", "true");

  await select(page, "wait_2d");
  await inspector(page).getByLabel("How long").fill("4");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await select(other, "wait_2d");
  await inspector(other).getByLabel("How long").fill("5");
  await expect(other.getByTestId("conflict-banner")).toBeVisible();
  await expect(other.getByTestId("save-status")).toHaveText("Not saved — out of date");
  await other.getByRole("button", { name: "Reload latest" }).click();
  await expect(other.getByTestId("conflict-banner")).toHaveCount(0);
  await expect(node(other, "wait_2d").getByTestId("node-summary")).toHaveText("Wait 4 days");
  await other.close();
});

test("a random split picks a winner automatically after the contacts it is told", async ({ page }) => {
  await createBlankFlow(page, "Subject line test");
  const split = await dropStep(page, "split", 500, 300);
  const panel = inspector(page);
  const auto = panel.getByTestId("auto-winner");
  await auto.getByLabel("Pick a winner automatically").check();
  await expect(auto.getByLabel("After days")).toHaveValue("7");
  // Neither days nor contacts: the validator says what is missing, on the step.
  await auto.getByLabel("After days").fill("");
  await expect(
    page.getByText("Automatic winner: say after how many days or contacts to pick it.").first(),
  ).toBeVisible();
  // Fewer than 10 contacts is refused by the step's schema, where it is typed.
  await auto.getByLabel("After contacts").fill("5");
  await expect(auto.getByLabel("After contacts")).toHaveAttribute("aria-invalid", "true");
  await auto.getByLabel("After contacts").fill("400");
  await expect(auto.getByLabel("After contacts")).not.toHaveAttribute("aria-invalid", "true");
  await expect(
    page.getByText("Automatic winner: say after how many days or contacts to pick it."),
  ).toHaveCount(0);
  await page.screenshot({ path: "test-results/builder-split-winner.png" });
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await page.reload();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  await select(page, split);
  await expect(auto.getByLabel("Pick a winner automatically")).toBeChecked();
  await expect(auto.getByLabel("After days")).toHaveValue("");
  await expect(auto.getByLabel("After contacts")).toHaveValue("400");
});

test("a consent step from the palette unsubscribes from marketing SMS and publishes", async ({ page }) => {
  test.setTimeout(90_000);
  await createBlankFlow(page, "Quiet SMS");
  const panel = inspector(page);

  const trigger = await dropStep(page, "trigger", 170, 70);
  await panel.getByLabel("Event", { exact: true }).selectOption("Placed Order");

  const consent = await dropStep(page, "consent", 170, 250);
  await expect(node(page, consent).getByTestId("node-summary")).toHaveText(
    "Unsubscribe from marketing email",
  );
  await panel.getByLabel("Unsubscribe from").selectOption("sms");
  await expect(node(page, consent).getByTestId("node-summary")).toHaveText("Unsubscribe from marketing SMS");
  await connect(page, trigger, "next", consent);

  const exit = await dropStep(page, "exit", 170, 430);
  await connect(page, consent, "next", exit);
  await expect(page.getByTestId("issues-toggle")).toHaveText("Ready to publish");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await publish(page);
});
