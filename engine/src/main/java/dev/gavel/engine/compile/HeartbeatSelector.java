package dev.gavel.engine.compile;

import dev.gavel.engine.expr.CompareOp;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import dev.gavel.engine.expr.Position;
import dev.gavel.engine.expr.ValueType;
import dev.gavel.engine.model.HeartbeatResource;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.workload.Workload;

/** Which workloads a heartbeat policy monitors, as a condition the rule generator guards like any other. */
final class HeartbeatSelector {
    private static final Position NONE = Position.NONE;

    private HeartbeatSelector() {}

    /**
     * A heartbeat policy's selectors as one condition over a workload request (docs/workloads.md): pods (also for
     * {@code resource: namespace}, whose {@code resourceName} is the namespace) or jobs, then each selector given.
     */
    static Expr of(Settings.Heartbeat hb) {
        HeartbeatResource what = hb.selects();
        Expr e = new Expr.Compare(
                fixed(Field.RESOURCE_TYPE),
                CompareOp.EQ,
                str(
                        what == HeartbeatResource.JOBS
                                ? Workload.Kind.JOB.resourceType()
                                : Workload.Kind.POD.resourceType()),
                NONE);
        if (hb.clusterId().isPresent()) {
            e = and(e, attributeEquals(Workload.CLUSTER, hb.clusterId().get()));
        }
        if (!hb.resourceIds().isEmpty()) {
            e = and(
                    e,
                    new Expr.In(
                            new FieldRef.Attribute(Workload.ID, ValueType.STRING, NONE),
                            hb.resourceIds().stream()
                                    .<Literal>map(HeartbeatSelector::str)
                                    .toList(),
                            NONE));
        }
        if (hb.resourceName().isPresent()) {
            e = and(
                    e,
                    what == HeartbeatResource.NAMESPACE
                            ? attributeEquals(
                                    Workload.NAMESPACE, hb.resourceName().get())
                            : new Expr.Compare(
                                    fixed(Field.RESOURCE_NAME),
                                    CompareOp.EQ,
                                    str(hb.resourceName().get()),
                                    NONE));
        }
        if (what == HeartbeatResource.JOBS && hb.jobFilter().isPresent()) {
            Settings.Heartbeat.JobFilter f = hb.jobFilter().get();
            if (f.namespace().isPresent()) {
                e = and(e, attributeEquals(Workload.NAMESPACE, f.namespace().get()));
            }
            if (f.priority().isPresent()) {
                e = and(
                        e,
                        new Expr.Compare(
                                new FieldRef.Attribute(Workload.PRIORITY, ValueType.INTEGER, NONE),
                                CompareOp.EQ,
                                new Literal.Int(f.priority().get(), NONE),
                                NONE));
            }
        }
        return e;
    }

    private static Expr and(Expr a, Expr b) {
        return new Expr.And(a, b, NONE);
    }

    private static Expr attributeEquals(String key, String value) {
        return new Expr.Compare(new FieldRef.Attribute(key, ValueType.STRING, NONE), CompareOp.EQ, str(value), NONE);
    }

    private static FieldRef fixed(Field field) {
        return new FieldRef.Fixed(field, NONE);
    }

    private static Literal.Str str(String s) {
        return new Literal.Str(s, NONE);
    }
}
