// Boundary versions (GET /api/boundary-versions/): which is in force, which have closed, and
// which version each layer's `version` filter may be set to.

/** Today in Vietnam as YYYY-MM-DD, whatever the browser's time zone. */
export function vietnamToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

const published = (v) => v.status === 'published';

/** Published versions valid today. */
export function inForce(versions, today = vietnamToday()) {
  return versions.filter((v) => published(v) && v.valid_from <= today && (!v.valid_to || v.valid_to >= today));
}

/** Published versions that have ended, the most recently closed first. */
export function closed(versions, today = vietnamToday()) {
  return versions.filter((v) => published(v) && v.valid_to && v.valid_to < today).sort((a, b) => (a.valid_to < b.valid_to ? 1 : -1));
}

/**
 * The versions a layer's `version` filter offers by the layer's purpose, and whether it needs
 * one picked: a version layer is meaningless without one (it would overlay every published one).
 */
export function versionChoices(purpose, versions) {
  if (purpose === 'versions') return { options: closed(versions), required: true };
  if (purpose === 'drafts') return { options: versions.filter((v) => v.status === 'draft'), required: false };
  return { options: versions.filter(published), required: false };
}
