"""The lecture's "Deep Learning Landscapes" slide, one small working example per kind of learning.

Each idea has its own module; this one gathers their names for the landscape page (and for
notebooks written against it). Data in the lecture's layout: one sample per column, ``X : N x B``.

* **Supervised** (labelled X and Y, learn X → Y): :mod:`explorer.core.supervised`
  (2-D points and the project's own classifier).
* **Unsupervised** (unlabelled X, learn a representation): k-means in
  :mod:`explorer.core.clustering`, PCA in :mod:`explorer.core.components`.
* **Self-supervised** (unlabelled X, make a signal from X itself): in-painting patches of the
  synthetic MRI slices, :mod:`explorer.core.inpainting`.
* **Reinforcement** (learn actions to reach a goal in an environment): a grid world and tabular
  Q-learning, :mod:`explorer.core.reinforcement`.
"""
from explorer.core.activations import sigmoid  # noqa: F401
from explorer.core.clustering import INITS, KMeansRun, assign, kmeans, kmeans_pp, objective, purity  # noqa: F401
from explorer.core.components import PCA, pca  # noqa: F401
from explorer.core.inpainting import (  # noqa: F401
    LABEL_COUNTS, MASKS, PATCH, Inpainter, balanced_accuracy, compare_representations, few_label_accuracy,
    fit_inpainter, fit_logistic, image_features, inpaint_errors, inpaint_image, patch_mask, patches,
    random_directions, split_patch,
)
from explorer.core.mri import normalise_images  # noqa: F401
from explorer.core.reinforcement import (  # noqa: F401
    ACTIONS, ARROWS, GOAL_REWARD, LAYOUT_NAMES, LAYOUTS, PIT_REWARD, STEP_REWARD, GridWorld, QLearningRun,
    greedy_path, moving_average, q_learning,
)
from explorer.core.supervised import POINT_SETS, points, predict_classes, split, train_classifier  # noqa: F401
