"""Settings of the "Pixels are numbers" page (explorer/pages/pixels.py)."""
from explorer.core.images import SAMPLES
from explorer.core.mri import CLASSES
from explorer.settings.declare import choice, setting, settings

UPLOAD = "upload"                     # the image choice that shows this session's upload
MAX_WIN = 64                          # largest window side: 64 x 64 = 4,096 numbers in the table
SYNTHETIC_SIZE = 128
SYNTHETIC = {f"syn_{v.lower()}": v for v in CLASSES}    # image key -> the cardiac view it draws
IMAGE_LABELS = {**{key: s.label for key, s in SAMPLES.items()}, UPLOAD: "Your upload"}
DEFAULT_IMAGE = "syn_sax"
LABELS_Y = {"unknown": "unknown", "1": "1: the heart is imaged", "0": "0: no heart"}


@settings(page="pixels", prefix="px")
class Settings:
    img: str = choice(DEFAULT_IMAGE, IMAGE_LABELS)   # which image (a bundled sample or the upload)
    seed: int = setting(0, 0, 9999)                  # the synthetic slice's patient
    h: int = setting(34, 1, MAX_WIN)                 # the window: the slide's table is 34 rows x 10 columns
    w: int = setting(10, 1, MAX_WIN)
    top: int = setting(42, 0, 4095)                  # its top-left pixel (fitted to the image on the page)
    left: int = setting(72, 0, 4095)
    y: str = choice("unknown", LABELS_Y)             # the label a person gives an unlabelled image
