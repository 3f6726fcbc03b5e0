"""Ready convolutional networks for 28x28 grey-scale images, each taking any activation of the catalog.

``LeNet5`` is LeCun's network as it is trained today (max pooling, ReLU by default); ``ResNet`` a small residual
network of basic blocks with batch normalisation and adaptive average pooling.

>>> import ourdl
>>> from ourdl import models
>>> models.LeNet5(activation="gelu")(ourdl.zeros(2, 1, 28, 28)).shape
ourdl.Size([2, 10])
"""

from .lenet import LeNet5
from .resnet import BasicBlock, ResNet

__all__ = ["BasicBlock", "LeNet5", "ResNet"]
