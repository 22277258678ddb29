import type { GroupSeed } from "./types.ts";

/** A handful of realistic groups with fixed ids, so `npm start` and manual calls can address them by id. */
export function sampleGroups(): GroupSeed[] {
  return [
    {
      id: "grp_d_tV0FTrpmoFPJXuHLBoCQ",
      name: "Tier 1 – Full-time Salaried",
      external_reference_id: "hr_seg_001",
    },
    {
      id: "grp_fCcXpUYRvp5SICjLflmTXQ",
      name: "Tier 2 – Full-time Hourly",
      external_reference_id: "hr_seg_002",
    },
    { id: "grp_c2JdoVZu9_rHRZ7aviV90A", name: "Part-time (20+ hrs)", external_reference_id: "hr_seg_003" },
    { id: "grp_RZ-gN0qO6c0xruyfoHLxDQ", name: "Warehouse – Reno NV", external_reference_id: "hr_loc_reno" },
    { id: "grp_GKj5LxBJVcx_UB5Zrsmpsg", name: "Équipe Montréal 🇨🇦", external_reference_id: "hr_loc_mtl" },
  ];
}
