// « Contact & aide »: the wait, a new message, her conversations, a call-back.

import { memberPage } from "../../../components/layout.js";
import { load as loadCallbacks } from "./callbacks.js";
import { setupNewThread } from "./new-thread.js";
import { threads } from "./threads.js";
import { loadWait } from "./wait.js";

setupNewThread({
  onSent: () => {
    threads.reload();
    loadWait();
  },
});

await memberPage();
loadWait();
threads.reload();
loadCallbacks();
