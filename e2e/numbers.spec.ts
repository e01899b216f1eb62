/**
 * One set of numbers everywhere, in the browser, on the demo shop's seeded history: for
 * every seeded flow, the flows list's 30-day conversions and revenue are what its dashboard
 * (Last 30 days) and its canvas header (Last 30 days) show. And after publishing, the
 * builder says "Published · no changes" with Publish disabled until the next edit.
 */
import type { Page } from "@playwright/test";
import { expect, test, openCreateFlow } from "./fixtures";

test.use({ viewport: { width: 1440, height: 1000 } });

type Row = { id: string; name: string; conversions: string; revenue: string };

const SEEDED = new Set([
  "Abandoned cart",
  "Welcome series",
  "Order confirmation",
  "Review request",
  "Post-purchase",
  "Browse abandonment",
]);

async function listRows(page: Page): Promise<Row[]> {
  await page.goto("/flows");
  await expect(page.getByTestId("column-conversions")).toContainText("last 30 days");
  const rows = page.getByTestId("flow-row");
  await expect(rows.first()).toBeVisible();
  const out: Row[] = [];
  for (const row of await rows.all()) {
    out.push({
      id: (await row.getAttribute("data-flow-id"))!,
      name: (await row.getByRole("link").first().innerText()).trim(),
      conversions: (await row.getByTestId("flow-conversions").innerText()).trim(),
      revenue: (await row.getByTestId("flow-revenue").innerText()).trim(),
    });
  }
  return out;
}

test("the list's 30-day conversions and revenue match the dashboard and the canvas header", async ({
  signedIn: page,
}) => {
  // The demo shop's seeded flows (published, with history). Other specs publish gallery
  // copies under the same names; those are compared too (with their zeros).
  const rows = (await listRows(page)).filter((r) => SEEDED.has(r.name));
  expect(rows.length).toBeGreaterThanOrEqual(6);
  test.setTimeout(30_000 + rows.length * 20_000);
  let converting = 0;
  for (const row of rows) {
    const revenue = row.revenue === "—" ? /^\$0(\.00)?$/ : row.revenue.replace(/ \+\d+$/, "");

    await page.goto(`/flows/${row.id}/dashboard`);
    const range = page.getByRole("radiogroup", { name: "Date range" });
    await expect(range.getByRole("radio", { name: "Last 30 days" })).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("total-conversions").locator("dd"), row.name).toHaveText(row.conversions);
    await expect(page.getByTestId("total-revenue").locator("dd"), row.name).toHaveText(revenue);
    await expect(page.getByTestId("total-revenue-per-recipient")).toBeVisible();
    // All time holds at least the last 30 days.
    await range.getByRole("radio", { name: "All time" }).click();
    await expect(range.getByRole("radio", { name: "All time" })).toHaveAttribute("aria-checked", "true");
    await expect
      .poll(async () =>
        Number((await page.getByTestId("total-conversions").locator("dd").innerText()).replaceAll(",", "")),
      )
      .toBeGreaterThanOrEqual(Number(row.conversions.replaceAll(",", "")));

    await page.goto(`/flows/${row.id}?view=analytics`);
    await expect(page.getByTestId("analytics-panel")).toBeVisible();
    await expect(page.getByLabel("Date range")).toHaveValue("30d");
    await expect(page.getByTestId("summary-conversions"), row.name).toHaveText(row.conversions);
    await expect(page.getByTestId("summary-revenue"), row.name).toHaveText(revenue);
    if (row.conversions !== "0") converting++;
  }
  // The comparison compared something.
  expect(converting).toBeGreaterThan(0);
});

test("after publishing, Publish is disabled until the next edit", async ({ signedIn: page }) => {
  await openCreateFlow(page);
  await page.getByTestId("template-order_confirmation").click();
  await expect(page.getByTestId("canvas")).toHaveAttribute("data-ready", "true");
  const publishButton = page.getByTestId("publish-button");
  await expect(page.getByTestId("issues-toggle")).toHaveText("Ready to publish");
  await expect(publishButton).toBeEnabled();

  await publishButton.click();
  const dialog = page.getByTestId("publish-dialog");
  await expect(dialog.getByTestId("confirm-publish")).toBeEnabled();
  await dialog.getByTestId("confirm-publish").click();
  await expect(page.getByTestId("flow-status")).toHaveText("live");
  await expect(page.getByTestId("issues-toggle")).toHaveText("Published · no changes");
  await expect(publishButton).toBeDisabled();

  // An edit (a card moved) makes the draft differ: Publish comes back once it is saved.
  const card = page.locator(".react-flow__node").nth(1);
  const box = (await card.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + 40, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await expect(page.getByTestId("issues-toggle")).toHaveText("Ready to publish");
  await expect(publishButton).toBeEnabled();

  // An empty name reads as a sentence, without the field's key.
  await page.goto("/flows");
  await page
    .getByRole("button", { name: /^Actions for / })
    .first()
    .click();
  await page.getByRole("menuitem", { name: "Rename" }).click();
  await page.getByLabel("Flow name").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText("Give the flow a name");
});
