"""Small numpy raster operations used by the boundary derivation (no scipy needed)."""

from __future__ import annotations

import numpy as np


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """Dilate a boolean raster by a disc of the given radius in cells."""
    padded = np.pad(mask, radius)
    out = np.zeros_like(mask)
    rows, cols = mask.shape
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dx * dx + dy * dy <= radius * radius:
                out |= padded[radius + dy : radius + dy + rows, radius + dx : radius + dx + cols]
    return out


def component_labels(classes: np.ndarray) -> np.ndarray:
    """Label 4-connected components of equal non-negative class values; -1 marks background."""
    big = classes.size
    lab = np.where(classes >= 0, np.arange(big).reshape(classes.shape), big)
    same_h = (classes[:, 1:] == classes[:, :-1]) & (classes[:, 1:] >= 0)
    same_v = (classes[1:, :] == classes[:-1, :]) & (classes[1:, :] >= 0)
    while True:
        new = lab.copy()
        new[:, 1:] = np.minimum(new[:, 1:], np.where(same_h, lab[:, :-1], big))
        new[:, :-1] = np.minimum(new[:, :-1], np.where(same_h, lab[:, 1:], big))
        new[1:, :] = np.minimum(new[1:, :], np.where(same_v, lab[:-1, :], big))
        new[:-1, :] = np.minimum(new[:-1, :], np.where(same_v, lab[1:, :], big))
        flat = new.ravel()
        valid = flat < big
        flat[valid] = flat[flat[valid]]
        if np.array_equal(new, lab):
            return np.where(classes >= 0, lab, -1)
        lab = new


def tidy_mask(mask: np.ndarray, seeds: np.ndarray, radius: int) -> np.ndarray:
    """Close a mask by a disc, keep the components holding seeds and fill enclosed holes."""
    closed = ~dilate(~dilate(mask, radius), radius) | seeds
    comps = component_labels(np.where(closed, 0, -1))
    kept = np.isin(comps, np.unique(comps[seeds]))
    background = component_labels(np.where(kept, -1, 0))
    edge = np.concatenate([background[0], background[-1], background[:, 0], background[:, -1]])
    return kept | ((background >= 0) & ~np.isin(background, edge))


def merge_fragments(labels: np.ndarray, seeds: list[tuple[int, int]]) -> np.ndarray:
    """Give every patch cut off from its class's seed cell to the class it borders most."""
    labels = labels.copy()
    while True:
        comps = component_labels(labels)
        stray = (labels >= 0) & ~np.isin(comps, [comps[rc] for rc in seeds])
        if not stray.any():
            return labels
        patch = comps == comps[stray].min()
        ring = dilate(patch, 1) & ~patch & (labels >= 0)
        settled = ring & ~stray
        labels[patch] = np.bincount(labels[settled if settled.any() else ring]).argmax()
