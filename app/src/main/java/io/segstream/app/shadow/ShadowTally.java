package io.segstream.app.shadow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.protocol.DrivingFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The comparison of a candidate with production over many frames (one camera, or all): how many
 * were compared and why the others were not, pixel agreement, per-class IoU from the summed
 * intersections and unions, per-class fraction drift, how far the driving figures disagree, and
 * each model's time per frame.
 */
final class ShadowTally {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OBSTACLES = List.of("vehicles", "persons", "twoWheelers");

    private final ClassMapping mapping;
    private long frames;
    private long compared;
    private long productionSkipped;
    private long productionFailed;
    private long productionMissing;
    private long candidateFailed;
    private long candidateBehind;
    private double agreementSum;
    private double agreementMin = 1;
    private final long[] intersection;
    private final long[] union;
    private final double[] productionFraction;
    private final double[] candidateFraction;
    private double drivableDiffSum;
    private final long[] presenceDisagreements = new long[OBSTACLES.size()];
    private final long[] bothPresent = new long[OBSTACLES.size()];
    private final double[] rowDiffSum = new double[OBSTACLES.size()];
    private double productionMs;
    private long productionTimed;
    private double candidateMs;
    private long candidateTimed;

    ShadowTally(ClassMapping mapping) {
        this.mapping = mapping;
        int n = mapping.productionClasses();
        intersection = new long[n];
        union = new long[n];
        productionFraction = new double[n];
        candidateFraction = new double[n];
    }

    /** A frame whose production mask was not ok (skipped-stale, failed) or never came ("missing"). */
    void productionNotOk(String status) {
        frames++;
        switch (status) {
            case "skipped-stale" -> productionSkipped++;
            case "missing" -> productionMissing++;
            default -> productionFailed++;
        }
    }

    /** A live frame left out because the candidate fell too far behind. */
    void candidateBehind() {
        frames++;
        candidateBehind++;
    }

    ClassMapping mapping() {
        return mapping;
    }

    /** A frame the candidate could not segment. */
    void candidateFailed() {
        frames++;
        candidateFailed++;
    }

    void timed(double productionMillis, double candidateMillis) {
        if (productionMillis > 0) {
            productionMs += productionMillis;
            productionTimed++;
        }
        candidateMs += candidateMillis;
        candidateTimed++;
    }

    void add(FrameComparison c) {
        frames++;
        compared++;
        double a = c.agreement();
        agreementSum += a;
        agreementMin = Math.min(agreementMin, a);
        for (int k = 0; k < intersection.length; k++) {
            intersection[k] += c.intersection()[k];
            union[k] += c.union()[k];
            productionFraction[k] += c.production()[k] / (double) c.pixels();
            candidateFraction[k] += c.candidate()[k] / (double) c.pixels();
        }
        drivableDiffSum +=
                Math.abs(c.productionDriving().drivable() - c.candidateDriving().drivable());
        for (int g = 0; g < OBSTACLES.size(); g++) {
            DrivingFigures.Obstacle p = c.productionDriving().obstacles().get(OBSTACLES.get(g));
            DrivingFigures.Obstacle q = c.candidateDriving().obstacles().get(OBSTACLES.get(g));
            if (p.present() != q.present()) {
                presenceDisagreements[g]++;
            } else if (p.present()) {
                bothPresent[g]++;
                rowDiffSum[g] +=
                        Math.abs(p.nearestRow().orElse(0.0) - q.nearestRow().orElse(0.0));
            }
        }
    }

    long frames() {
        return frames;
    }

    long compared() {
        return compared;
    }

    Optional<Double> meanAgreement() {
        return compared == 0 ? Optional.empty() : Optional.of(agreementSum / compared);
    }

    /** IoU per compared class with a pixel in either model's masks, in production's class order. */
    Map<String, Double> classIoU() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < intersection.length; k++) {
            if (mapping.compared(k) && union[k] > 0) {
                out.put(mapping.name(k).orElseThrow(), intersection[k] / (double) union[k]);
            }
        }
        return out;
    }

    double productionMs() {
        return productionTimed == 0 ? Double.NaN : productionMs / productionTimed;
    }

    double candidateMs() {
        return candidateTimed == 0 ? Double.NaN : candidateMs / candidateTimed;
    }

    ObjectNode json(String camera, String productionModel, String candidateModel) {
        ObjectNode root = JSON.createObjectNode();
        root.put("summary", true);
        root.put("camera", camera);
        ObjectNode prod = root.putObject("production");
        prod.put("model", productionModel);
        number(prod, "inferenceMs", productionMs());
        ObjectNode cand = root.putObject("candidate");
        cand.put("model", candidateModel);
        number(cand, "inferenceMs", candidateMs());
        root.put("frames", frames);
        root.put("compared", compared);
        ObjectNode not = root.putObject("notCompared");
        not.put("productionSkipped", productionSkipped);
        not.put("productionFailed", productionFailed);
        not.put("productionMissing", productionMissing);
        not.put("candidateFailed", candidateFailed);
        not.put("candidateBehind", candidateBehind);
        ObjectNode agreement = root.putObject("agreement");
        number(agreement, "mean", meanAgreement().orElse(Double.NaN));
        number(agreement, "min", compared == 0 ? Double.NaN : agreementMin);
        ObjectNode classes = root.putObject("classes");
        for (int k = 0; k < intersection.length; k++) {
            if (!mapping.compared(k)) {
                continue;
            }
            ObjectNode c = classes.putObject(mapping.name(k).orElseThrow());
            number(c, "iou", union[k] == 0 ? Double.NaN : intersection[k] / (double) union[k]);
            number(c, "productionFraction", compared == 0 ? Double.NaN : productionFraction[k] / compared);
            number(c, "candidateFraction", compared == 0 ? Double.NaN : candidateFraction[k] / compared);
            number(c, "drift", compared == 0 ? Double.NaN : (candidateFraction[k] - productionFraction[k]) / compared);
        }
        ObjectNode driving = root.putObject("driving");
        number(driving.putObject("drivable"), "meanAbsDiff", compared == 0 ? Double.NaN : drivableDiffSum / compared);
        for (int g = 0; g < OBSTACLES.size(); g++) {
            ObjectNode o = driving.putObject(OBSTACLES.get(g));
            o.put("presenceDisagreements", presenceDisagreements[g]);
            number(o, "nearestRowMeanAbsDiff", bothPresent[g] == 0 ? Double.NaN : rowDiffSum[g] / bothPresent[g]);
        }
        return root;
    }

    static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, Math.round(value * 1e6) / 1e6);
        } else {
            node.putNull(field);
        }
    }
}
