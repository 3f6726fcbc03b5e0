"""``ourdl.nn.functional`` (``F``): the stateless forms of the layers, losses and activations.

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> F.linear(ourdl.ones(1, 2), ourdl.ones(3, 2)).tolist()
[[2.0, 2.0, 2.0]]
"""

from ..activations.functional import *  # noqa: F401,F403  (relu, gelu, softmax, ... from the catalog)
from ..ops.adaptive_pooling import (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d,  # noqa: F401
                                    adaptive_max_pool1d_with_indices, adaptive_max_pool2d,
                                    adaptive_max_pool2d_with_indices)
from ..ops.avg_pooling import avg_pool1d, avg_pool2d  # noqa: F401
from ..ops.gathering import one_hot  # noqa: F401
from ..ops.max_pooling import max_pool1d, max_pool1d_with_indices, max_pool2d, max_pool2d_with_indices  # noqa: F401
from .cross_entropy import cross_entropy, nll_loss  # noqa: F401
from .batch_norm import batch_norm  # noqa: F401
from .dropout import dropout, dropout1d, dropout2d, dropout3d  # noqa: F401
from .embedding import embedding  # noqa: F401
from .embedding_bag import embedding_bag  # noqa: F401
from .linear import linear  # noqa: F401
from .elementwise_losses import (binary_cross_entropy, binary_cross_entropy_with_logits, huber_loss, kl_div, l1_loss,  # noqa: F401
                     mse_loss, smooth_l1_loss)
from ..ops.convolution import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d  # noqa: F401
from ..ops.padding import pad  # noqa: F401
from .instance_norm import instance_norm  # noqa: F401
from .normalization import group_norm, layer_norm  # noqa: F401
