import { MemoryLedgerStore } from "../../../../functions/shared/ledger/memory-ledger-store.ts";
import { describeLedgerStoreContract } from "./ledger-store-contract.ts";

describeLedgerStoreContract(
  "MemoryLedgerStore",
  async (options) => {
    const store = new MemoryLedgerStore(options);
    return { store, peer: store, refusalCarriesItem: true };
  },
  { propertyRuns: 100 },
);
