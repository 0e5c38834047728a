namespace AuditGen;

/// <summary>
/// Tells the AuditGen generator how a team's own success/failure result type reads, when its members are not named as
/// the built-in rule expects (a <c>bool IsSuccess</c>, <c>IsFailure</c> or <c>IsError</c>, and a <c>Value</c>, as in
/// Ardalis.Result, FluentResults and ErrorOr): <c>[assembly: ActivityResultShape(typeof(OperationResult&lt;&gt;),
/// SuccessProperty = "Succeeded", ValueProperty = "Data")]</c>. A logged use case returning that type records its
/// activity only when the result succeeded, with its sources read from the value.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ActivityResultShapeAttribute : Attribute
{
    /// <summary>Describes the result type <paramref name="resultType"/> (an open generic type, such as <c>typeof(OperationResult&lt;&gt;)</c>, or a closed one).</summary>
    /// <param name="resultType">The result type.</param>
    public ActivityResultShapeAttribute(Type resultType) => ResultType = resultType;

    /// <summary>The result type described.</summary>
    public Type ResultType { get; }

    /// <summary>A <c>bool</c> property that is true when the use case succeeded; set this or <see cref="FailureProperty"/>.</summary>
    public string? SuccessProperty { get; set; }

    /// <summary>A <c>bool</c> property that is true when the use case failed; set this or <see cref="SuccessProperty"/>.</summary>
    public string? FailureProperty { get; set; }

    /// <summary>The property holding the successful value; <c>Value</c> unless set.</summary>
    public string ValueProperty { get; set; } = "Value";
}
