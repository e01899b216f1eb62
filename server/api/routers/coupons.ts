import { z } from "zod";
import { router, workspaceProcedure } from "@/server/api/trpc";
import { Day, storableString } from "@/server/engine/input";
import {
  COUPON_CSV_MAX_BYTES,
  COUPON_GENERATE_MAX,
  createCouponPool,
  deleteCouponPool,
  generateCoupons,
  importCouponCsv,
  listCouponPools,
} from "@/server/coupons/coupons";

const PoolId = z.uuid("Not a coupon pool id");
const PoolName = storableString()
  .trim()
  .min(1, "Give the pool a name")
  .max(80, "Keep the name under 80 characters");
const Prefix = storableString()
  .trim()
  .max(20, "Keep the prefix under 20 characters")
  .regex(/^[A-Za-z0-9._-]*$/, "The prefix may hold only letters, digits, “-”, “_” and “.”");

/** A calendar day a code is valid through (to its end, UTC); null: never expires. */
const ExpiresOn = Day.nullable().default(null);
const endOfDay = (day: string | null) => (day === null ? null : new Date(`${day}T23:59:59.999Z`));

/** The workspace's coupon pools: list, create, upload a CSV, generate codes, delete. */
export const couponsRouter = router({
  list: workspaceProcedure.query(({ ctx }) => listCouponPools(ctx.db, { workspaceId: ctx.workspaceId })),
  create: workspaceProcedure
    .input(z.object({ name: PoolName }))
    .mutation(({ ctx, input }) =>
      createCouponPool(ctx.db, { workspaceId: ctx.workspaceId, name: input.name }),
    ),
  /** All or nothing: a blank line, a repeated code or a code already in the pool refuses the file, by line. */
  importCsv: workspaceProcedure
    .input(
      z.object({
        poolId: PoolId,
        csv: storableString()
          .min(1, "The file is empty")
          .max(COUPON_CSV_MAX_BYTES, "The file is larger than 2 MB"),
        expiresOn: ExpiresOn,
      }),
    )
    .mutation(({ ctx, input }) =>
      importCouponCsv(ctx.db, {
        workspaceId: ctx.workspaceId,
        poolId: input.poolId,
        csv: input.csv,
        expiresAt: endOfDay(input.expiresOn),
      }),
    ),
  generate: workspaceProcedure
    .input(
      z.object({
        poolId: PoolId,
        count: z
          .number("Enter how many codes to generate")
          .int("Enter a whole number of codes")
          .min(1, "Generate at least one code")
          .max(COUPON_GENERATE_MAX, `Generate at most ${COUPON_GENERATE_MAX} codes at a time`),
        prefix: Prefix.default(""),
        expiresOn: ExpiresOn,
      }),
    )
    .mutation(({ ctx, input }) =>
      generateCoupons(ctx.db, {
        workspaceId: ctx.workspaceId,
        poolId: input.poolId,
        count: input.count,
        prefix: input.prefix,
        expiresAt: endOfDay(input.expiresOn),
      }),
    ),
  delete: workspaceProcedure
    .input(z.object({ poolId: PoolId }))
    .mutation(({ ctx, input }) =>
      deleteCouponPool(ctx.db, { workspaceId: ctx.workspaceId, poolId: input.poolId }),
    ),
});
