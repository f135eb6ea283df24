"""Synthetic cine-MRI slices for the lecture's running examples (heart finding, cardiac views).

**These are cartoons, not medical images.** Every slice is a map of tissues painted from a
few dozen ellipses (filled analytically, the test ``skimage.draw.ellipse`` makes) and
polygons (``skimage.draw.polygon``), placed by similarity transforms (rotation, scale and
shift: the matrices of ``skimage.transform.SimilarityTransform``), then turned into
intensities, anti-aliased (``skimage.transform.downscale_local_mean``), blurred
(``skimage.filters.gaussian``) and given MRI-like (Rician) noise. The anatomy is simplified on purpose: it has the parts that make a
view recognisable (which chambers, where the lungs and the spine are) and none of the
detail a radiologist would look for. Use them to learn how a network sees numbers, never
to judge a real scan.

What is drawn, as in a bright-blood (SSFP) cine image:

* the body with a bright ring of subcutaneous fat, chest-wall muscle, dark lungs, the spine
  (bright marrow in the vertebral body, bright fluid in the spinal canal) and the
  descending aorta;
* the heart: bright blood pools inside darker myocardium, with a rim of bright epicardial fat.
  The view decides which chambers are cut:

  - ``SAX`` (short axis): the round left-ventricle (LV) cavity inside a ring of myocardium,
    the right ventricle (RV) as a crescent beside it, two papillary muscles;
  - ``CH4`` (four-chamber): LV, RV, left atrium (LA) and right atrium (RA), with the
    septa crossing between them;
  - ``CH2`` (two-chamber): LV and LA only;
  - ``CH3`` (three-chamber): LV, LA and the LV outflow tract into the aorta;
  - ``Other``: no heart, either the upper abdomen (liver, stomach, spleen) or the upper
    chest above the heart (lungs, great vessels, trachea).

Every sample varies at random but plausibly: body size and position, heart position,
rotation and scale, chamber sizes, wall thickness, tissue contrast, overall intensity scale,
a smooth coil-sensitivity (bias) field, blur and Rician noise. Values are 12-bit integers in
[0, 4095], the range of the lecture's slide "What computer sees" (hundreds to a few thousand).

Notation as in the lecture: a data set is ``X : N x B`` (one flattened image per column,
``N = H x W``, row-major) and one-hot targets ``Y : K x B`` with the class order of the slide,
``CH3, CH2, CH4, SAX, Other``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from skimage.draw import polygon as _fill_polygon
from skimage.filters import gaussian
from skimage.transform import downscale_local_mean

from explorer.core import probability

CLASSES: tuple[str, ...] = ("CH3", "CH2", "CH4", "SAX", "Other")
"""Class order of the lecture's one-hot table: CH3 = [1,0,0,0,0], ..., Other = [0,0,0,0,1]."""

DESCRIPTIONS = {
    "CH3": "three-chamber (LVOT) view: left ventricle, left atrium and the outflow tract into the aorta",
    "CH2": "two-chamber view: left ventricle and left atrium only",
    "CH4": "four-chamber view: both ventricles and both atria, the septa crossing between them",
    "SAX": "short-axis view: a ring of myocardium around the round LV cavity, the RV crescent beside it",
    "Other": "no heart in the slice: upper abdomen (liver, stomach) or upper chest (lungs, great vessels)",
}
HAS_HEART = {"CH3": True, "CH2": True, "CH4": True, "SAX": True, "Other": False}
NO_HEART: int = next(k for k, v in enumerate(CLASSES) if not HAS_HEART[v])   # 4, the index of "Other"
MAX_VALUE = 4095            # 12-bit
MIN_SIZE, MAX_SIZE = 8, 512
MAX_DATASET_IMAGES = 20_000
CHEST_ZOOM = 0.8           # make_chest: a wider field of view than make_slice ...
CHEST_HEART = 0.6          # ... and a smaller heart in it, as in a whole-chest scan

# -- tissues: a label map is painted first, then turned into intensities --------------------
AIR, FAT, MUSCLE, LUNG, BLOOD, MYO, MARROW, BONE, CSF, LIVER, VESSEL, SPLEEN, STOMACH, MEDIA, \
    AIRWAY, GAS = range(16)
N_TISSUES = 16
HEART_TISSUES = (BLOOD, MYO)   # chambers and their walls (the great vessels are VESSEL)

# typical relative signal (1 = brightest fat/blood) and how much it varies from sample to sample
_SIGNAL = np.array([
    # mean, spread
    [0.00, 0.00],   # AIR
    [0.72, 0.06],   # FAT
    [0.26, 0.04],   # MUSCLE
    [0.05, 0.02],   # LUNG
    [0.92, 0.06],   # BLOOD
    [0.22, 0.04],   # MYO
    [0.58, 0.08],   # MARROW
    [0.07, 0.02],   # BONE (cortex)
    [0.88, 0.06],   # CSF
    [0.38, 0.05],   # LIVER
    [0.86, 0.06],   # VESSEL
    [0.48, 0.05],   # SPLEEN
    [0.70, 0.10],   # STOMACH (fluid)
    [0.52, 0.08],   # MEDIA (mediastinal fat and tissue)
    [0.02, 0.01],   # AIRWAY
    [0.03, 0.01],   # GAS (bowel or stomach gas)
])


class Box(NamedTuple):
    """A pixel rectangle: rows ``top .. top+height-1``, columns ``left .. left+width-1``."""

    top: int
    left: int
    height: int
    width: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width


# -- drawing ----------------------------------------------------------------------------------
class _Painter:
    """Paints tissue labels on a (supersampled) canvas, shapes given in frame coordinates.

    The base frame has its origin at the image centre, x to the right (the patient's left, as
    radiology shows it), y down (posterior), and 1 = half the image side. ``frame`` is a 3x3
    similarity matrix (rotation, uniform scale, shift: ``skimage.transform.SimilarityTransform``'s
    ``params``) from the current frame to the base frame, so a
    heart can be drawn in its own coordinates (p along the long axis towards the apex, q across).

    Polygons are filled with ``skimage.draw.polygon``. Ellipses (most shapes) are filled
    analytically inside their bounding box, the same test ``skimage.draw.ellipse`` makes, but
    with the frame applied on the fly: several times faster, which keeps a 250-image data
    set well under a second.
    """

    def __init__(self, n: int, zoom: float = 1.0):
        self.n = n
        self.labels = np.zeros((n, n), dtype=np.uint8)
        half = n / 2.0
        self.to_pixels = np.array([[half * zoom, 0.0, half - 0.5], [0.0, half * zoom, half - 0.5], [0.0, 0.0, 1.0]])
        self.grid = np.arange(n, dtype=float)
        self.frame = np.eye(3)

    def _matrix(self) -> np.ndarray:
        return self.to_pixels @ self.frame

    def fill(self, pts: np.ndarray, tissue: int) -> None:
        m = self._matrix()
        cols = m[0, 0] * pts[:, 0] + m[0, 1] * pts[:, 1] + m[0, 2]
        rows = m[1, 0] * pts[:, 0] + m[1, 1] * pts[:, 1] + m[1, 2]
        rr, cc = _fill_polygon(rows, cols, shape=self.labels.shape)
        self.labels[rr, cc] = tissue

    def _inside(self, cx, cy, rx, ry, angle=0.0, cut=None):
        """(row slice, column slice, boolean mask) of the pixels inside an ellipse of the frame."""
        m = self._matrix()
        k = np.sqrt(abs(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]))
        pc = m[0, 0] * cx + m[0, 1] * cy + m[0, 2]
        pr = m[1, 0] * cx + m[1, 1] * cy + m[1, 2]
        reach = k * max(rx, ry) + 1.0
        r0, r1 = max(int(pr - reach), 0), min(int(pr + reach) + 2, self.n)
        c0, c1 = max(int(pc - reach), 0), min(int(pc + reach) + 2, self.n)
        if r0 >= r1 or c0 >= c1:
            return slice(0, 0), slice(0, 0), np.zeros((0, 0), dtype=bool)
        inv = np.linalg.inv(m)
        cols, rows = self.grid[c0:c1][None, :], self.grid[r0:r1][:, None]
        x = inv[0, 0] * cols + inv[0, 1] * rows + inv[0, 2]
        y = inv[1, 0] * cols + inv[1, 1] * rows + inv[1, 2]
        dx, dy = x - cx, y - cy
        c, s = np.cos(angle), np.sin(angle)
        u, v = (c * dx + s * dy) / rx, (c * dy - s * dx) / ry
        inside = u * u + v * v <= 1.0
        if cut is not None:
            inside &= x >= cut
        return slice(r0, r1), slice(c0, c1), inside

    def ellipse(self, cx, cy, rx, ry, tissue, angle=0.0, cut=None):
        """Fill an ellipse (centre, semi-axes, rotation in the frame); ``cut``: keep only x >= cut."""
        rs, cs, inside = self._inside(cx, cy, rx, ry, angle, cut)
        self.labels[rs, cs][inside] = tissue

    def mask(self, cx, cy, rx, ry) -> np.ndarray:
        """The whole canvas as booleans: True inside the ellipse."""
        out = np.zeros_like(self.labels, dtype=bool)
        rs, cs, inside = self._inside(cx, cy, rx, ry)
        out[rs, cs] = inside
        return out

    def bullet(self, p0, qc, length, half_width, tissue):
        """A ventricle: straight base at ``p = p0``, half an ellipse towards the apex (``+p``)."""
        self.ellipse(p0, qc, length, half_width, tissue, cut=p0)


def _similarity(scale=1.0, rotation=0.0, translation=(0.0, 0.0)) -> np.ndarray:
    c, s = scale * np.cos(rotation), scale * np.sin(rotation)
    return np.array([[c, -s, translation[0]], [s, c, translation[1]], [0.0, 0.0, 1.0]])


# -- anatomy ----------------------------------------------------------------------------------
def _body(pt: _Painter, rng, kind: str) -> np.ndarray:
    """Body outline, fat ring, muscle, lungs (chest) or abdominal organs, spine, aorta.

    Returns the mask of the space inside the chest wall (where a heart may be drawn).
    """
    rx, ry = rng.uniform(0.92, 1.06), rng.uniform(0.64, 0.76)
    cy = 0.06
    fat = rng.uniform(0.035, 0.065) * (1.5 if kind == "abdomen" else 1.0)
    wall = rng.uniform(0.045, 0.07)
    pt.ellipse(0, cy, rx, ry, FAT)
    pt.ellipse(0, cy, rx - fat, ry - fat, MUSCLE)
    ix, iy = rx - fat - wall, ry - fat - wall                      # inside the chest wall
    cavity = pt.mask(0, cy + 0.03, ix, iy)
    if kind == "abdomen":
        pt.ellipse(0, cy + 0.02, ix, iy, MEDIA)                      # intra-abdominal fat
        # liver: the patient's right (image left), reaching over the midline in front
        f = rng.uniform(0.92, 1.04)
        pt.fill(np.array([[-ix + 0.02, cy - 0.05], [-0.6, -0.38], [-0.05, -0.46], [0.3, -0.36],
                          [0.22, -0.08], [-0.04, 0.12], [-0.16, 0.34], [-0.5, 0.44],
                          [-ix + 0.06, cy + 0.25]]) * f, LIVER)
        pt.ellipse(0.5, -0.1, 0.2, 0.16, STOMACH, angle=rng.uniform(-0.5, 0.5))
        pt.ellipse(0.46, -0.2, 0.14, 0.06, GAS)                       # gas above the fluid
        pt.ellipse(0.62, 0.3, 0.15, 0.1, SPLEEN, angle=-0.6)
        pt.ellipse(-0.12, 0.27, 0.05, 0.035, VESSEL)                   # inferior vena cava
        pt.ellipse(0.06, 0.3, 0.045, 0.045, VESSEL)                    # abdominal aorta
    else:
        pt.ellipse(0, cy + 0.03, ix, iy, LUNG)
    # spine: vertebral body (marrow in a cortex), canal with fluid, back muscles
    sy = cy + ry - fat - 0.3 + rng.uniform(-0.02, 0.02)
    for side in (-1, 1):
        pt.ellipse(side * 0.18, sy + 0.17, 0.14, 0.09, MUSCLE, angle=side * 0.3)
    pt.ellipse(0, sy + 0.15, 0.075, 0.07, BONE)
    pt.ellipse(0, sy + 0.15, 0.035, 0.035, CSF)
    pt.ellipse(0, sy, 0.11, 0.1, BONE)
    pt.ellipse(0, sy, 0.095, 0.085, MARROW)
    if kind == "heart":
        # the tissue behind the heart, in front of the spine, with the descending aorta in it
        pt.ellipse(0.02, sy - 0.16, 0.14, 0.12, MEDIA)
        pt.ellipse(0.12, sy - 0.12, 0.065, 0.065, VESSEL)
        if rng.random() < 0.35:                                        # the liver dome, lower left
            pt.ellipse(-0.5, sy - 0.02, 0.3, 0.2, LIVER, angle=-0.5)
    elif kind == "chest":
        _upper_chest(pt, rng, sy)
    return cavity


def _upper_chest(pt: _Painter, rng, sy: float) -> None:
    """Above the heart: great vessels and the trachea in mediastinal fat."""
    pt.ellipse(0.0, sy - 0.32, 0.3, 0.36, MEDIA)
    j = lambda: rng.uniform(-0.02, 0.02)  # noqa: E731 - small jitter
    r = rng.uniform(0.85, 1.15)
    pt.ellipse(-0.04 + j(), sy - 0.5 + j(), 0.11 * r, 0.11 * r, VESSEL)     # ascending aorta
    pt.ellipse(0.17 + j(), sy - 0.56 + j(), 0.1 * r, 0.09 * r, VESSEL)      # pulmonary trunk
    pt.ellipse(-0.2 + j(), sy - 0.42 + j(), 0.06, 0.055, VESSEL)            # superior vena cava
    pt.ellipse(0.13 + j(), sy - 0.14, 0.075 * r, 0.075 * r, VESSEL)         # descending aorta
    pt.ellipse(-0.04, sy - 0.22, 0.075, 0.065, BONE)                        # trachea wall
    pt.ellipse(-0.04, sy - 0.22, 0.058, 0.048, AIRWAY)


def _heart(pt: _Painter, view: str, rng) -> None:
    """Draw the chambers of ``view`` in heart coordinates (p: base -> apex, q: across).

    The frame's scale makes the heart bigger or smaller; lengths here are for a heart of
    scale 1 (an LV about half the image's half-width long).
    """
    t = rng.uniform(0.045, 0.075)             # LV wall and septum thickness
    tr = max(0.02, 0.35 * t)                  # thin walls: RV free wall, atria
    ep = rng.uniform(0.015, 0.03)             # epicardial fat rim
    lv = rng.uniform(0.88, 1.12)              # chamber size factors
    la = rng.uniform(0.85, 1.15)
    if view == "SAX":
        R = 0.25 * lv
        rv_r = (rng.uniform(0.25, 0.3), rng.uniform(0.3, 0.36))
        rv_c = (0.06 - rv_r[0], -0.04)                 # overlaps the LV: what is left is a crescent
        pt.ellipse(*rv_c, rv_r[0] + ep, rv_r[1] + ep, FAT, angle=0.2)
        pt.ellipse(0, 0, R + ep, R + ep, FAT)
        pt.ellipse(*rv_c, rv_r[0], rv_r[1], MYO, angle=0.2)
        pt.ellipse(*rv_c, rv_r[0] - tr, rv_r[1] - tr, BLOOD, angle=0.2)
        pt.ellipse(0, 0, R, R, MYO)
        pt.ellipse(0, 0, R - t, R - t, BLOOD)
        pm = rng.uniform(0.022, 0.032)
        for a in (0.8, 2.2):                                             # papillary muscles
            d = R - t - 0.4 * pm
            pt.ellipse(d * np.cos(a), d * np.sin(a), pm, pm, MYO)
        return

    L = 0.52 * lv
    if view == "CH4":
        qL, wL = 0.13, 0.17 * lv
        lv_in = qL - wL + t                          # septal edge of the LV cavity
        wR = rng.uniform(0.12, 0.15)
        qR = lv_in - t - wR + tr                     # RV cavity starts one septum further
        LR = rng.uniform(0.68, 0.8) * L
        # epicardial fat, then the ventricles' walls, then the cavities
        pt.bullet(-0.025, qL, L + ep, wL + ep, FAT)
        pt.bullet(-0.025, qR, LR + ep, wR + ep, FAT)
        pt.bullet(-0.025, qL, L, wL, MYO)
        pt.bullet(-0.025, qR, LR, wR, MYO)
        pt.bullet(0.0, qL, L - t - 0.025, wL - t, BLOOD)
        pt.bullet(0.0, qR, LR - tr - 0.025, wR - tr, BLOOD)
        # the atria below the valve plane, thin walls, a thin septum between them
        for qc, f in ((qL + 0.01, la), (qR - 0.01, rng.uniform(0.85, 1.15))):
            ra, rq = 0.14 * f, 0.125 * f
            pt.ellipse(-0.04 - ra, qc, ra + tr, rq + tr, MYO)
            pt.ellipse(-0.04 - ra, qc, ra, rq, BLOOD)
        pt.ellipse(-0.02, qL + wL, 0.035, 0.035, FAT)      # fat in the atrioventricular grooves
        pt.ellipse(-0.02, qR - wR, 0.035, 0.035, FAT)
        return

    # CH2 and CH3: the left ventricle alone, the left atrium behind the mitral valve
    wL = 0.18 * lv
    ra, rq = 0.15 * la, 0.13 * la
    qa = -0.05 if view == "CH3" else 0.0
    if view == "CH3":
        _aorta(pt, rng, wL, t, ep)
    pt.bullet(-0.025, 0, L + ep, wL + ep, FAT)
    pt.ellipse(-0.04 - ra, qa, ra + tr + ep, rq + tr + ep, FAT)
    pt.bullet(-0.025, 0, L, wL, MYO)
    pt.bullet(0.0, 0, L - t - 0.025, wL - t, BLOOD)
    pt.ellipse(-0.04 - ra, qa, ra + tr, rq + tr, MYO)
    pt.ellipse(-0.04 - ra, qa, ra, rq, BLOOD)
    if view == "CH2":
        pt.ellipse(-0.03, wL + 0.02, 0.035, 0.03, FAT)     # atrioventricular grooves
        pt.ellipse(-0.03, -wL - 0.02, 0.035, 0.03, FAT)
        pt.ellipse(-0.06, -wL + 0.01, 0.025, 0.02, VESSEL)  # coronary sinus
    else:
        # the outflow tract: LV blood runs on under the aortic valve into the root
        pt.fill(np.array([[0.02, 0.02], [0.02, wL - t], [-0.06, wL - t + 0.02], [-0.06, 0.06]]), BLOOD)


def _aorta(pt: _Painter, rng, wL: float, t: float, ep: float) -> None:
    """CH3: the aortic root and ascending aorta leaving the base of the LV on the +q side."""
    ang = rng.uniform(0.5, 0.8)                           # how steeply the aorta turns away
    d = np.array([-np.cos(ang), np.sin(ang)])             # towards the base and to +q
    n = np.array([-d[1], d[0]])
    ar = rng.uniform(0.065, 0.08)                         # aortic radius
    root = np.array([-0.07, wL * 0.5])
    tip = root + 0.36 * d
    for r, tissue in ((ar + 0.016 + ep, FAT), (ar + 0.016, MYO), (ar, VESSEL)):
        pt.fill(np.array([root + n * r, tip + n * r, tip - n * r, root - n * r]), tissue)
        pt.ellipse(*(root + 0.08 * d), r * 1.2, r * 1.2, tissue)    # the sinuses bulge
    v = root + 0.02 * d                                    # the aortic valve: a thin line
    pt.fill(np.array([v + n * ar * 1.1, v + n * ar * 1.1 + 0.015 * d,
                      v - n * ar * 1.1 + 0.015 * d, v - n * ar * 1.1]), MYO)


# heart placement per view, in the body frame: centre (valve plane, or LV centre for SAX),
# long-axis direction (radians; x right, y down) and scale
_LAYOUT = {
    "CH4": ((-0.1, 0.06), -0.45, 1.3),        # apex to the upper right, atria towards the spine
    "CH2": ((0.28, -0.04), 2.6, 1.3),         # apex down and to the left
    "CH3": ((0.22, 0.08), 2.6, 1.3),
    "SAX": ((0.14, -0.08), 0.0, 1.25),
}


def _paint(view: str, rng, n: int, heart_at=None, body_shift=(0.0, 0.0), zoom: float = 1.0,
           heart_scale: float = 1.0):
    """Paint the label map of one slice on an ``n x n`` canvas; returns (labels, heart centre).

    ``zoom < 1`` draws the whole scene smaller (a wider field of view); ``heart_at`` and
    ``body_shift`` are in the unzoomed frame; ``heart_scale`` shrinks the heart alone.
    """
    pt = _Painter(n, zoom)
    body_rot = rng.uniform(-0.15, 0.15)
    body_scale = rng.uniform(0.88, 1.08)
    shift = np.array(body_shift) + rng.uniform(-0.08, 0.08, 2)
    body = _similarity(body_scale, body_rot, shift)
    pt.frame = body
    if view == "Other":
        _body(pt, rng, "abdomen" if rng.random() < 0.5 else "chest")
        return pt.labels, None
    cavity = _body(pt, rng, "heart")
    body_labels = pt.labels.copy()
    (cx, cy), axis, scale = _LAYOUT[view]
    if heart_at is None:
        centre = np.array([cx, cy]) + rng.uniform(-0.09, 0.09, 2)
        centre = body[:2, :2] @ centre + body[:2, 2]
    else:
        centre = np.asarray(heart_at, dtype=float)
    axis += body_rot + rng.uniform(-1.0, 1.0) * (0.9 if view == "SAX" else 0.5)
    pt.frame = _similarity(scale * heart_scale * body_scale * rng.uniform(0.86, 1.14), axis, centre)
    _heart(pt, view, rng)
    outside = ~cavity            # the heart stays inside the chest: the chest wall is drawn over it
    pt.labels[outside] = body_labels[outside]
    return pt.labels, centre


def _intensities(labels_small: np.ndarray, rng, supersample: int) -> np.ndarray:
    """Label map (supersampled) -> blurred noisy 12-bit image, as float."""
    lut = _SIGNAL[:, 0] + _SIGNAL[:, 1] * rng.standard_normal(N_TISSUES)
    lut = np.clip(lut, 0.0, 1.05)
    lut[AIR] = 0.0
    img = lut[labels_small]
    if supersample > 1:
        img = downscale_local_mean(img, (supersample, supersample))
    h = img.shape[0]
    # smooth receive-coil sensitivity: brighter near one side, a few tens of percent
    y, x = np.mgrid[-1:1:h * 1j, -1:1:h * 1j]
    c = rng.uniform(-0.25, 0.25, 5)
    img = img * np.exp(c[0] * x + c[1] * y + 0.5 * c[2] * x * y - 0.3 * abs(c[3]) * (x * x + y * y))
    img = gaussian(img, sigma=rng.uniform(0.35, 0.8) * h / 64.0 + 0.3, preserve_range=True)
    scale = rng.uniform(1500.0, 3400.0)
    sigma = rng.uniform(0.012, 0.035)
    noisy = np.hypot(img + sigma * rng.standard_normal(img.shape), sigma * rng.standard_normal(img.shape))
    return np.clip(np.rint(noisy * scale), 0, MAX_VALUE)


def _check_size(size) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be a whole number of pixels, got {size!r}")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}")
    return int(size)


def _check_view(view: str) -> str:
    for name in CLASSES:
        if isinstance(view, str) and view.lower() == name.lower():
            return name
    raise ValueError(f"view must be one of {', '.join(CLASSES)}, got {view!r}")


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


def _supersample(size: int) -> int:
    return 2 if size <= 256 else 1


def _render(view: str, size: int, rng) -> np.ndarray:
    ss = _supersample(size)
    labels, _ = _paint(view, rng, size * ss)
    return _intensities(labels, rng, ss)


# -- public API -------------------------------------------------------------------------------
def make_slice(view: str, size: int = 64, seed: int = 0) -> np.ndarray:
    """One synthetic cine-MRI slice of ``view`` (one of :data:`CLASSES`), ``size x size``.

    Returns ``uint16`` values in [0, 4095] (12-bit, like the lecture's slide). The same
    ``(view, size, seed)`` always gives the same image. A cartoon: see the module docstring.
    """
    view, size, seed = _check_view(view), _check_size(size), _check_seed(seed)
    return _render(view, size, np.random.default_rng([seed, CLASSES.index(view)])).astype(np.uint16)


def has_heart(view: str) -> int:
    """The binary label of the heart-finding slide: Y = 1 if the slice images the heart, else 0."""
    return int(HAS_HEART[_check_view(view)])


def one_hot(labels, K: int = len(CLASSES)) -> np.ndarray:
    """Class indices ``(B,)`` -> one-hot targets ``Y : K x B`` (see :func:`explorer.core.probability.one_hot`)."""
    return probability.one_hot(labels, K)


def normalise_images(X: np.ndarray, size: int) -> np.ndarray:
    """``X : [N, B]`` (flattened images) -> ``[B, size, size]``, each divided by its own mean.

    The synthetic scanner sets every image's overall brightness at random; dividing it out
    keeps that from being the first thing every method finds.
    """
    images = np.asarray(X, dtype=float).T.reshape(-1, size, size)
    return images / np.maximum(images.mean(axis=(1, 2), keepdims=True), 1e-12)


def make_dataset(n_per_class: int, size: int = 32, seed: int = 0, shuffle: bool = True):
    """A labelled set of synthetic slices, ``n_per_class`` of each of the five views.

    Returns ``(X, Y, labels)`` in the lecture's layout:

    * ``X : N x B`` float64, ``N = size * size``: column ``b`` is image ``b`` flattened row by
      row (``X[:, b].reshape(size, size)`` gives the image back), values 0..4095;
    * ``Y : K x B`` one-hot, K = 5, rows in the order of :data:`CLASSES` (CH3, CH2, CH4, SAX, Other);
    * ``labels : (B,)`` the class index of each column (``Y.argmax(axis=0)``).

    ``B = 5 * n_per_class``; with ``shuffle`` the columns are in a seeded random order,
    otherwise grouped by class. Deterministic for a given ``seed``. About 0.2 s for
    ``make_dataset(50, 32)`` (250 images); pages cache it.
    """
    if isinstance(n_per_class, bool) or not isinstance(n_per_class, (int, np.integer)) or n_per_class < 1:
        raise ValueError(f"n_per_class must be a whole number of at least 1, got {n_per_class!r}")
    size, seed = _check_size(size), _check_seed(seed)
    if n_per_class * len(CLASSES) > MAX_DATASET_IMAGES:
        raise ValueError(f"at most {MAX_DATASET_IMAGES:,} images, asked for {n_per_class * len(CLASSES):,}")
    labels = np.repeat(np.arange(len(CLASSES)), n_per_class)
    if shuffle:
        labels = np.random.default_rng([int(seed), 99]).permutation(labels)
    X = np.empty((size * size, labels.size))
    counters = [0] * len(CLASSES)
    for b, k in enumerate(labels):
        rng = np.random.default_rng([int(seed), int(k), counters[k], size])
        counters[k] += 1
        X[:, b] = _render(CLASSES[k], size, rng).ravel()
    return X, one_hot(labels), labels


def make_chest(size: int = 128, seed: int = 0, heart_at=None, view: str = "CH4"):
    """A larger chest slice for "find the heart" demos: returns ``(image, box)``.

    The field of view is wider than in :func:`make_slice` and the heart smaller, as in a
    whole-chest scan: the heart covers about a quarter of the width. ``heart_at = (row, col)`` puts
    the heart's centre (the middle of the valve plane for long-axis views, of the LV for
    ``SAX``) at that pixel, and the body moves with it (parts of the body may leave the
    image); ``None`` places it where it lies in a patient, with some random variation.
    ``box`` is a :class:`Box` ``(top, left, height, width)``: the smallest rectangle holding
    every heart pixel (chambers and walls; not the great vessels, not the epicardial fat),
    clipped to the image. ``image`` is ``uint16`` in [0, 4095].
    """
    size, seed = _check_size(size), _check_seed(seed)
    view = _check_view(view)
    if view == "Other":
        raise ValueError("make_chest draws a heart; use make_slice('Other') for a slice without one")
    rng = np.random.default_rng([int(seed), 7, size])
    ss = _supersample(size)
    zoom = CHEST_ZOOM
    if heart_at is None:
        heart, shift = None, (0.0, 0.0)
    else:
        r, c = heart_at
        if not (0 <= r < size and 0 <= c < size):
            raise ValueError(f"heart_at must be a pixel (row, col) inside the {size} x {size} image, got {heart_at!r}")
        # pixel -> frame coordinates, then undo the zoom; the body follows the heart
        heart = np.array([(c + 0.5) * 2.0 / size - 1.0, (r + 0.5) * 2.0 / size - 1.0]) / zoom
        shift = tuple(heart - np.array(_LAYOUT[view][0]))
    labels, _ = _paint(view, rng, size * ss, heart_at=heart, body_shift=shift, zoom=zoom, heart_scale=CHEST_HEART)
    image = _intensities(labels, rng, ss).astype(np.uint16)
    mask = np.isin(labels, HEART_TISSUES)
    rows = np.flatnonzero(mask.any(axis=1)) // ss
    cols = np.flatnonzero(mask.any(axis=0)) // ss
    if rows.size == 0:                      # cannot happen with the layouts above; never crash
        r, c = heart_at if heart_at is not None else (size // 2, size // 2)
        return image, Box(int(r), int(c), 1, 1)
    return image, Box(int(rows[0]), int(cols[0]), int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1))
