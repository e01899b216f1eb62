import type { Metadata } from "next";
import { CheckoutView } from "@/components/store/checkout-view";
import { segmentValue } from "@/server/http/path-guard";

export const metadata: Metadata = { title: "Checkout" };

export default async function CheckoutPage({ params }: { params: Promise<{ cartId: string }> }) {
  const { cartId } = await params;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Checkout</h1>
      <CheckoutView cartId={segmentValue(cartId)} />
    </div>
  );
}
