// A conversation's messages, oldest first: who wrote, when, the text (as text, line breaks
// kept by CSS) and the attachments, each downloaded through a short-lived link.

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { dateTimeFr, fileSize } from "../lib/formats.js";
import { showError } from "./states.js";

/** Asks the API for a download link (`linkPath(attachment)`) and follows it. */
async function download(linkPath, attachment, errorBox) {
  try {
    const link = await api(linkPath(attachment));
    location.assign(link.url);
  } catch (error) {
    showError(errorBox, error);
  }
}

/**
 * renderMessages(messages, {linkPath, errorBox, me}) -> <ol>; `me` is the role whose messages
 * are « Vous » (member or advisor).
 */
export function renderMessages(messages, { linkPath, errorBox, me }) {
  return h(
    "ol",
    { class: "ea-messages", "aria-label": "Messages, du plus ancien au plus récent" },
    messages.map((message) =>
      h(
        "li",
        { class: `ea-message ea-message--${message.author_role === me ? "mine" : "theirs"}`, "data-testid": "message" },
        h(
          "p",
          { class: "ea-message__meta" },
          h("strong", { text: message.author_role === me ? "Vous" : message.author_name }),
          message.author_role === "advisor" && me !== "advisor" ? " (conseiller)" : "",
          message.by_label ? " " : "",
          message.by_label ? h("span", { class: "ea-by", "data-testid": "by-label", text: `(${message.by_label})` }) : null,
          " — ",
          h("time", { datetime: message.at, text: dateTimeFr(message.at) }),
        ),
        h("p", { class: "ea-message__text", text: message.text }),
        message.attachments.length
          ? h(
              "ul",
              { class: "ea-message__files", "aria-label": "Pièces jointes" },
              message.attachments.map((attachment) =>
                h(
                  "li",
                  {},
                  h(
                    "button",
                    {
                      type: "button",
                      class: "ea-link-button",
                      onclick: () => download(linkPath, attachment, errorBox),
                    },
                    `Télécharger ${attachment.filename}`,
                  ),
                  attachment.size ? ` (${fileSize(attachment.size)})` : "",
                ),
              ),
            )
          : null,
      ),
    ),
  );
}
