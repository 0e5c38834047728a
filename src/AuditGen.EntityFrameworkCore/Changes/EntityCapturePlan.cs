using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// How the entries of one entity type become entity changes, worked out once per entity type from the model: the
/// recorded entity (the type itself, or for an owned reference the entity that owns it), the properties with their
/// recorded names (<c>Address.City</c> for owned and complex types), which are withheld, and for a many-to-many join
/// type the skip navigations it links.
/// </summary>
internal sealed class EntityCapturePlan
{
    private EntityCapturePlan(string entityType, IReadOnlyList<IProperty> keys, PropertyPlan[] properties, JoinSide[] joinSides, bool ownedPart = false,
        IProperty? subject = null)
    {
        SubjectProperty = subject;
        IsOwnedPart = ownedPart;
        EntityType = entityType;
        Keys = keys;
        Properties = properties;
        JoinSides = joinSides;
    }

    /// <summary>The recorded entity's type name: the CLR type's name, or the shared type's name.</summary>
    public string EntityType { get; }

    /// <summary>The properties whose values identify the recorded entity (the owner's key, for an owned reference).</summary>
    public IReadOnlyList<IProperty> Keys { get; }

    /// <summary>The recorded properties (the owner's key columns of an owned type are not among them).</summary>
    public PropertyPlan[] Properties { get; }

    /// <summary>For a many-to-many join type: each end's skip navigation; empty otherwise (then the type is an entity).</summary>
    public JoinSide[] JoinSides { get; }

    /// <summary>An owned reference: its entries change their owner, which is recorded as modified unless its own entry says otherwise.</summary>
    public bool IsOwnedPart { get; }

    /// <summary>The entity's <see cref="DataSubjectAttribute"/> property (a <see cref="Guid"/>), whose value names the person its personal values belong to; null: the record's owner.</summary>
    public IProperty? SubjectProperty { get; }

    /// <summary>The data subject <paramref name="values"/> name, when the entity names one.</summary>
    public Guid? SubjectOf(PropertyValues values) =>
        SubjectProperty is { } subject && values[subject] is Guid id && id != Guid.Empty ? id : null;

    /// <summary>Whether an entry of this type records nothing (keyless types).</summary>
    public bool Ignored => Keys.Count == 0;

    public static EntityCapturePlan Create(IEntityType entityType, SensitivePropertyNames sensitive, ISet<string> personalNames)
    {
        JoinSide[] joinSides = JoinSidesOf(entityType);
        if (joinSides.Length > 0)
        {
            return new EntityCapturePlan(entityType.ShortName(), [], [], joinSides);
        }

        IEntityType root = entityType;
        string prefix = "";
        bool withheldOwner = false;
        IReadOnlyList<IProperty> keys = entityType.FindPrimaryKey()?.Properties ?? [];
        var ownerKeys = new HashSet<IProperty>();
        while (root.FindOwnership() is { IsUnique: true } ownership && ownership.PrincipalToDependent is { } navigation)
        {
            prefix = navigation.Name + "." + prefix;
            withheldOwner |= IsNotAudited(navigation.PropertyInfo ?? (MemberInfo?)navigation.FieldInfo);
            if (root == entityType)
            {
                keys = ownership.Properties;
                ownerKeys.UnionWith(ownership.Properties);
            }

            root = ownership.PrincipalEntityType;
        }

        IProperty? subject = entityType.GetProperties().FirstOrDefault(p =>
            p.ClrType == typeof(Guid) && (p.PropertyInfo ?? (MemberInfo?)p.FieldInfo)?.IsDefined(typeof(DataSubjectAttribute), inherit: true) == true);
        var properties = new List<PropertyPlan>();
        foreach (IProperty property in entityType.GetFlattenedProperties())
        {
            if (ownerKeys.Contains(property))
            {
                continue;
            }

            (string name, bool withheldPath) = PathOf(property);
            name = prefix + name;
            bool withheld = withheldOwner || withheldPath || IsNotAudited(property.PropertyInfo ?? (MemberInfo?)property.FieldInfo) || sensitive.Matches(name);
            bool personal = IsPersonalData(property.PropertyInfo ?? (MemberInfo?)property.FieldInfo) ||
                personalNames.Contains(name) || personalNames.Contains(NameOf(root) + "." + name);
            properties.Add(new PropertyPlan(property, name, withheld, property.GetValueComparer(),
                property.DeclaringType is IEntityType, keys.Contains(property))
            {
                Personal = personal,
                SubjectOnEntity = subject is not null,
            });
        }

        return new EntityCapturePlan(NameOf(root), keys, [.. properties], [], ownedPart: root != entityType, subject);
    }

    private static string NameOf(IEntityType type) => type.HasSharedClrType ? type.Name : type.ClrType.Name;

    /// <summary>A property's name under its entity: <c>City</c>, or <c>Address.City</c> inside a complex property.</summary>
    private static (string Name, bool Withheld) PathOf(IProperty property)
    {
        string name = property.Name;
        bool withheld = false;
        ITypeBase type = property.DeclaringType;
        while (type is IComplexType complex)
        {
            name = complex.ComplexProperty.Name + "." + name;
            withheld |= IsNotAudited(complex.ComplexProperty.PropertyInfo ?? (MemberInfo?)complex.ComplexProperty.FieldInfo);
            type = complex.ComplexProperty.DeclaringType;
        }

        return (name, withheld);
    }

    private static bool IsNotAudited(MemberInfo? member) => member?.IsDefined(typeof(NotAuditedAttribute), inherit: true) == true;

    /// <summary>
    /// Personal data: an attribute named <c>PersonalDataAttribute</c> or derived from one — AuditGen's own, or ASP.NET Core
    /// Identity's (and its <c>ProtectedPersonalDataAttribute</c>), matched by name so no Identity reference is needed.
    /// </summary>
    private static bool IsPersonalData(MemberInfo? member)
    {
        if (member is null)
        {
            return false;
        }

        foreach (CustomAttributeData attribute in member.CustomAttributes)
        {
            for (Type? type = attribute.AttributeType; type is not null; type = type.BaseType)
            {
                if (type.Name == nameof(PersonalDataAttribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static JoinSide[] JoinSidesOf(IEntityType entityType)
    {
        var sides = new List<JoinSide>();
        foreach (IForeignKey foreignKey in entityType.GetForeignKeys())
        {
            foreach (ISkipNavigation navigation in foreignKey.GetReferencingSkipNavigations())
            {
                if (navigation.JoinEntityType != entityType)
                {
                    continue;
                }

                IForeignKey other = navigation.Inverse?.ForeignKey ??
                    entityType.GetForeignKeys().First(k => k != foreignKey && k.PrincipalEntityType.IsAssignableFrom(navigation.TargetEntityType));
                sides.Add(new JoinSide(NameOf(navigation.DeclaringEntityType), navigation.Name, foreignKey.Properties, other.Properties));
            }
        }

        return [.. sides];
    }
}

/// <summary>One recorded property: its recorded name, whether its values are withheld, and how EF Core compares its values.</summary>
/// <param name="Property">The model's property.</param>
/// <param name="Name">The recorded name.</param>
/// <param name="Withheld">Sensitive: recorded as changed, values withheld.</param>
/// <param name="Comparer">The property's value comparer.</param>
/// <param name="OnEntity">Declared on the entity type itself (not inside a complex property).</param>
/// <param name="IsKey">Part of the recorded entity's key.</param>
internal sealed record PropertyPlan(IProperty Property, string Name, bool Withheld, ValueComparer Comparer, bool OnEntity, bool IsKey)
{
    /// <summary>Personal data: its values are recorded as the data subject's <see cref="PersonalValue"/>s, which the pipeline seals.</summary>
    public bool Personal { get; init; }

    /// <summary>The entity names its data subject (<see cref="EntityCapturePlan.SubjectProperty"/>).</summary>
    public bool SubjectOnEntity { get; init; }
}

/// <summary>One end of a many-to-many join row: the end's entity type, its skip navigation, and the join row's key columns for each end.</summary>
/// <param name="EntityType">The end's recorded type name.</param>
/// <param name="Navigation">The skip navigation's name, recorded as the property that changed.</param>
/// <param name="OwnKey">The join columns holding this end's key.</param>
/// <param name="RelatedKey">The join columns holding the related end's key.</param>
internal sealed record JoinSide(string EntityType, string Navigation, IReadOnlyList<IProperty> OwnKey, IReadOnlyList<IProperty> RelatedKey);

/// <summary>The plans of one context type, for the life of the application (EF Core caches the model the same way).</summary>
internal sealed class ChangeCapturePlans(ChangeCaptureOptions options)
{
    private readonly ConcurrentDictionary<IEntityType, EntityCapturePlan> _plans = new();
    private readonly SensitivePropertyNames _sensitive = new(options.SensitiveNames);
    private readonly HashSet<string> _personal = new(options.PersonalDataNames, StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(IEntityType, string), BulkReadPlan> _bulkReads = new();

    public ChangeCaptureOptions Options { get; } = options;

    public EntityCapturePlan For(IEntityType entityType) =>
        _plans.TryGetValue(entityType, out EntityCapturePlan? plan) ? plan : _plans.GetOrAdd(entityType, EntityCapturePlan.Create(entityType, _sensitive, _personal));

    /// <summary>What a bulk write of <paramref name="entityType"/> reads, for the properties it sets (null: all; a delete: all, keys too).</summary>
    public BulkReadPlan BulkRead(IEntityType entityType, EntityCapturePlan plan, string[]? names, bool deleting)
    {
        string key = deleting ? "\u0001delete" : names is null ? "\u0001all" : string.Join('\u0000', names);
        return _bulkReads.TryGetValue((entityType, key), out BulkReadPlan? read)
            ? read
            : _bulkReads.GetOrAdd((entityType, key), BulkReadPlan.Create(entityType, plan, names, deleting));
    }
}
