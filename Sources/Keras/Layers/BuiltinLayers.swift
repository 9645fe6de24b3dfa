/// Every layer type this package implements, registered by `LayerRegistry.builtins`.
let builtinLayerTypes: [Layer.Type] = [
    InputLayer.self, Dense.self, Activation.self, Dropout.self, Flatten.self, Reshape.self, Antirectifier.self,
    Add.self, Subtract.self, Multiply.self, Average.self, Maximum.self, Minimum.self, Concatenate.self, Dot.self, Lambda.self, EinsumDense.self, MultiHeadAttention.self, Attention.self, AdditiveAttention.self,
    Conv1D.self, Conv2D.self, Conv1DTranspose.self, Conv2DTranspose.self, DepthwiseConv2D.self, MaxPooling1D.self, MaxPooling2D.self, AveragePooling1D.self,
    AveragePooling2D.self, GlobalAveragePooling1D.self, GlobalAveragePooling2D.self, GlobalMaxPooling1D.self,
    GlobalMaxPooling2D.self, ZeroPadding2D.self, UpSampling2D.self, ZeroPadding1D.self, Cropping1D.self, UpSampling1D.self,
    Conv3D.self, Conv3DTranspose.self, MaxPooling3D.self, AveragePooling3D.self, GlobalAveragePooling3D.self, GlobalMaxPooling3D.self,
    UpSampling3D.self, ZeroPadding3D.self, Cropping3D.self, BatchNormalization.self, LayerNormalization.self, GroupNormalization.self, UnitNormalization.self,
    Embedding.self, Rescaling.self, SeparableConv2D.self, SimpleRNN.self, LSTM.self, GRU.self, RNN.self, Masking.self, Bidirectional.self, TimeDistributed.self, Normalization.self, Cropping2D.self, ReLU.self, LeakyReLU.self, Softmax.self, Permute.self, RepeatVector.self,
    ActivityRegularization.self,
    Resizing.self, CenterCrop.self, RandomFlip.self, RandomRotation.self, RandomZoom.self, RandomTranslation.self, RandomCrop.self,
    RandomContrast.self, RandomBrightness.self,
    // Antirectifier2016 shares the Keras name "Antirectifier": the loader chooses it per file (see ModelDeserializer).
]
