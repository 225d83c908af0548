namespace BmesCds.Clinical.Engine;

/// <summary>The CDS Hooks hooks BmesCds answers.</summary>
public enum HookKind
{
    OrderSelect,
    OrderSign,
    PatientView,
}
