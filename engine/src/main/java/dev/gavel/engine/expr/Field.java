package dev.gavel.engine.expr;

/**
 * The request fields with a fixed name. Each knows the {@code RequestFact} bean property generated
 * DRL reads: these constants are the only property names that ever reach DRL, so nothing a policy
 * author spells is copied into it.
 */
public enum Field {
    RESOURCE_TYPE("resource.type", "resourceType", ValueType.STRING),
    RESOURCE_NAME("resource.name", "resourceName", ValueType.STRING),
    ACTION("action", "action", ValueType.STRING),
    LOCATION_NAME("location.name", "locationName", ValueType.STRING),
    LOCATION_COUNTRY("location.country", "locationCountry", ValueType.STRING),
    LOCATION_CONTINENT("location.continent", "locationContinent", ValueType.STRING),
    FLAVOR_NAME("flavor.name", "flavorName", ValueType.STRING),
    FLAVOR_TYPE("flavor.type", "flavorType", ValueType.STRING),
    TOKENS_INPUT("tokens.input", "tokensInput", ValueType.INTEGER),
    TOKENS_OUTPUT("tokens.output", "tokensOutput", ValueType.INTEGER),
    TOKENS_TOTAL("tokens.total", "tokensTotal", ValueType.INTEGER);

    private final String path;
    private final String drlProperty;
    private final ValueType type;

    Field(String path, String drlProperty, ValueType type) {
        this.path = path;
        this.drlProperty = drlProperty;
        this.type = type;
    }

    /** The canonical path a condition writes (aliases are normalised to it). */
    public String path() {
        return path;
    }

    /** The {@code RequestFact} property generated DRL compares. */
    public String drlProperty() {
        return drlProperty;
    }

    public ValueType type() {
        return type;
    }
}
