// Fitting a request's images to the model and the provider, just before the
// request is serialized.
//
// The conversation keeps every image it was given; what one request can
// carry depends on the model (the catalog's cap_images) and on the provider's
// size limits, and both may change mid-session (/model). So the window is
// never edited: fit_images() returns a request whose messages borrow the
// window's, except those with an image that cannot go, which are copied into
// the turn arena with that image replaced by a one-line note in the text
// ("[image shot.png not sent: model x does not accept images]"), so the model
// knows something was there and why it cannot see it.
//
// Limits, newest image first so the latest attachments survive a per-request
// budget: one image over the provider's per-image limit, or over what is left
// of its per-request budget, is not sent.
//
// Returns memory in `turn`; borrows `request`.
#pragma once

#include "core/arena.h"
#include "llm/image.h"
#include "llm/provider.h"
#include "llm/request.h"

namespace ik::llm {

ImageLimits image_limits(WireFormat format);

Request fit_images(mem::Arena& turn, const Request& request, WireFormat format);

} // namespace ik::llm
