/** The demo shop's catalog: a small coffee roaster with consumables and hard goods. */
export interface SeedProduct {
  id: string;
  title: string;
  category: string;
  priceCents: number;
  inventory: number;
  daysPerUnit?: number;
}

export const DEMO_PRODUCTS: SeedProduct[] = [
  { id: "cof-ethiopia", title: "Ethiopia Yirgacheffe, 340 g", category: "Coffee", priceCents: 1890, inventory: 120, daysPerUnit: 14 },
  { id: "cof-colombia", title: "Colombia Huila, 340 g", category: "Coffee", priceCents: 1690, inventory: 200, daysPerUnit: 14 },
  { id: "cof-kenya", title: "Kenya Nyeri AA, 340 g", category: "Coffee", priceCents: 2190, inventory: 0, daysPerUnit: 14 },
  { id: "cof-brazil", title: "Brazil Cerrado, 1 kg", category: "Coffee", priceCents: 3990, inventory: 80, daysPerUnit: 40 },
  { id: "cof-espresso", title: "House Espresso Blend, 340 g", category: "Coffee", priceCents: 1590, inventory: 300, daysPerUnit: 12 },
  { id: "cof-decaf", title: "Swiss Water Decaf, 340 g", category: "Coffee", priceCents: 1790, inventory: 60, daysPerUnit: 18 },
  { id: "cof-guatemala", title: "Guatemala Antigua, 340 g", category: "Coffee", priceCents: 1790, inventory: 0, daysPerUnit: 14 },
  { id: "cof-sampler", title: "Single-Origin Sampler (4 × 100 g)", category: "Coffee", priceCents: 2800, inventory: 45, daysPerUnit: 16 },
  { id: "tea-sencha", title: "Sencha Green Tea, 100 g", category: "Tea", priceCents: 1200, inventory: 90, daysPerUnit: 30 },
  { id: "tea-earlgrey", title: "Earl Grey Supreme, 100 g", category: "Tea", priceCents: 1100, inventory: 110, daysPerUnit: 30 },
  { id: "tea-chai", title: "Masala Chai, 150 g", category: "Tea", priceCents: 1300, inventory: 70, daysPerUnit: 25 },
  { id: "tea-chamomile", title: "Chamomile Blossoms, 60 g", category: "Tea", priceCents: 950, inventory: 0, daysPerUnit: 30 },
  { id: "gear-grinder", title: "Burr Grinder Pro", category: "Brewing gear", priceCents: 14900, inventory: 25 },
  { id: "gear-kettle", title: "Gooseneck Kettle, 1 L", category: "Brewing gear", priceCents: 7900, inventory: 40 },
  { id: "gear-v60", title: "Pour-Over Dripper", category: "Brewing gear", priceCents: 2600, inventory: 150 },
  { id: "gear-press", title: "French Press, 8 cup", category: "Brewing gear", priceCents: 3900, inventory: 65 },
  { id: "gear-aeropress", title: "Travel Press", category: "Brewing gear", priceCents: 3490, inventory: 0 },
  { id: "gear-scale", title: "Brew Scale with Timer", category: "Brewing gear", priceCents: 5500, inventory: 30 },
  { id: "gear-espresso", title: "Home Espresso Machine", category: "Brewing gear", priceCents: 49900, inventory: 8 },
  { id: "acc-filters", title: "Paper Filters (100)", category: "Accessories", priceCents: 690, inventory: 500, daysPerUnit: 50 },
  { id: "acc-canister", title: "Airtight Bean Canister", category: "Accessories", priceCents: 2900, inventory: 55 },
  { id: "acc-tamper", title: "Walnut Espresso Tamper", category: "Accessories", priceCents: 4200, inventory: 20 },
  { id: "acc-descaler", title: "Descaling Tablets (6)", category: "Accessories", priceCents: 1290, inventory: 140, daysPerUnit: 90 },
  { id: "mug-stoneware", title: "Stoneware Mug, Sand", category: "Mugs", priceCents: 2400, inventory: 75 },
  { id: "mug-travel", title: "Insulated Travel Mug", category: "Mugs", priceCents: 3200, inventory: 90 },
  { id: "mug-cups", title: "Espresso Cups (set of 2)", category: "Mugs", priceCents: 2800, inventory: 0 },
  { id: "mug-glass", title: "Double-Wall Glass, 350 ml", category: "Mugs", priceCents: 1900, inventory: 100 },
  { id: "app-tote", title: "Canvas Tote", category: "Apparel", priceCents: 2200, inventory: 60 },
  { id: "app-apron", title: "Barista Apron", category: "Apparel", priceCents: 4800, inventory: 15 },
  { id: "gift-card", title: "Gift Card, $50", category: "Gifts", priceCents: 5000, inventory: 9999 },
];

export const FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Amara", "Kenji", "Priya", "Arjun", "Chloe", "Leo", "Zoe", "Felix", "Isla", "Hugo", "Nora", "Omar", "Lena", "Diego", "Yuki", "Sara", "Jonas", "Maya", "Ravi", "Elena", "Tom", "Grace", "Ines", "Kai", "Freya", "Malik", "Ana", "Theo", "Hana", "Sam"];
export const LAST_NAMES = ["Smith", "Garcia", "Müller", "Johnson", "Brown", "Martin", "Rossi", "Tanaka", "Patel", "Nguyen", "Kim", "Silva", "Dubois", "Novak", "Jensen", "Okafor", "Lopez", "Schmidt", "Walker", "Sato", "Khan", "Moreau", "Fischer", "Clark", "Hughes"];

export const ZONES: ReadonlyArray<{ zone: string; country: string; weight: number }> = [
  { zone: "America/New_York", country: "US", weight: 24 },
  { zone: "America/Chicago", country: "US", weight: 12 },
  { zone: "America/Denver", country: "US", weight: 6 },
  { zone: "America/Los_Angeles", country: "US", weight: 14 },
  { zone: "America/Toronto", country: "CA", weight: 6 },
  { zone: "Europe/London", country: "GB", weight: 10 },
  { zone: "Europe/Berlin", country: "DE", weight: 8 },
  { zone: "Europe/Paris", country: "FR", weight: 6 },
  { zone: "Asia/Tokyo", country: "JP", weight: 4 },
  { zone: "Asia/Kolkata", country: "IN", weight: 4 },
  { zone: "Australia/Sydney", country: "AU", weight: 6 },
];
