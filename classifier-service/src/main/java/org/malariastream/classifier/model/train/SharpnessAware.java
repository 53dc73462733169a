package org.malariastream.classifier.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sharpness-aware minimisation (SAM; Foret et al., ICLR 2021): each step takes its gradient at the weights moved a
 * distance {@code rho} uphill, {@code w + rho g / |g|}, so the optimizer prefers minima whose whole neighbourhood has
 * a low loss. The paper reports it as robust to label noise, which this data set has. It costs a second forward and
 * backward pass per step.
 *
 * <p>Use per step: backward the loss, {@link #ascend}, backward the loss again at the moved weights, {@link #descend},
 * then the optimizer's step, which applies the second gradient to the original weights.
 */
final class SharpnessAware {

    /** ASAM's {@code eta}: a weight at zero still moves a little. */
    private static final float ADAPTIVE_FLOOR = 0.01f;

    private final float rho;
    private final boolean adaptive;
    private final List<NDArray> moved = new ArrayList<>();
    private final List<NDArray> offsets = new ArrayList<>();

    /**
     * @param rho how far uphill the gradient is taken
     * @param adaptive ASAM (Kwon et al., ICML 2021): {@code rho} is measured relative to each weight's size, so the
     *     move is {@code rho T^2 g / |T g|} with {@code T = |w| + 0.01}, elementwise
     */
    SharpnessAware(float rho, boolean adaptive) {
        if (!(rho > 0 && Float.isFinite(rho))) {
            throw new IllegalArgumentException("SAM rho must be a positive finite number, not " + rho);
        }
        this.rho = rho;
        this.adaptive = adaptive;
    }

    /**
     * Moves every trainable parameter by {@code rho} times the normalised gradient of all of them together, and
     * clears their gradients for the second pass. Call outside a gradient collector.
     *
     * @return the joint L2 norm of the gradients (scaled by {@code T} when adaptive)
     */
    double ascend(Iterable<Parameter> parameters) {
        if (!moved.isEmpty()) {
            throw new IllegalStateException("descend() was not called after the last ascend()");
        }
        List<NDArray> directions = new ArrayList<>(); // g, or T^2 g when adaptive
        double squares = 0; // of g, or of T g when adaptive
        for (Parameter p : parameters) {
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray weight = p.getArray();
            try (NDArray gradient = weight.getGradient()) {
                if (adaptive) {
                    try (NDArray t = weight.abs().addi(ADAPTIVE_FLOOR); NDArray tg = t.mul(gradient);
                            NDArray s = tg.square(); NDArray sum = s.sum()) {
                        squares += sum.getFloat();
                        directions.add(tg.mul(t));
                    }
                } else {
                    try (NDArray s = gradient.square(); NDArray sum = s.sum()) {
                        squares += sum.getFloat();
                        directions.add(gradient.duplicate());
                    }
                }
                gradient.subi(gradient); // the second backward pass adds to the gradient; start it from zero
            }
            moved.add(weight);
        }
        double norm = Math.sqrt(squares);
        float scale = (float) (rho / (norm + 1e-12));
        for (int i = 0; i < moved.size(); i++) {
            NDArray offset = directions.get(i).muli(scale);
            moved.get(i).addi(offset);
            offsets.add(offset);
        }
        return norm;
    }

    /** Moves the parameters back to where {@link #ascend} found them; their gradients stay. */
    void descend() {
        for (int i = 0; i < moved.size(); i++) {
            moved.get(i).subi(offsets.get(i));
            offsets.get(i).close();
        }
        moved.clear();
        offsets.clear();
    }
}
