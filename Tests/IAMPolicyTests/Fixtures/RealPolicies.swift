// Real policy documents from /work/shared/fixtures/real/iam/cli/, inlined (test targets here
// declare no resources). Each constant names the file and JSON path it was copied from.

enum RealPolicies {
    /// get-account-authorization-details.json: AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B AssumeRolePolicyDocument
    static let consoleRoleTrust = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AmazonBedrockFlowsTrust",
                    "Effect": "Allow",
                    "Principal": {
                        "Service": "bedrock.amazonaws.com"
                    },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {
                            "aws:SourceAccount": "123456789012"
                        },
                        "ArnLike": {
                            "aws:SourceArn": "arn:aws:bedrock:us-east-1:123456789012:flow/*"
                        }
                    }
                }
            ]
        }
        """#

    /// … AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B AmazonBedrockFlowsExecutionPolicy
    static let consoleRoleInline = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "InvokeModels",
                    "Effect": "Allow",
                    "Action": "bedrock:InvokeModel",
                    "Resource": [
                        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-premier-v1:0"
                    ]
                },
                {
                    "Sid": "UsePromptManagement",
                    "Effect": "Allow",
                    "Action": "bedrock:GetPrompt",
                    "Resource": "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q"
                }
            ]
        }
        """#

    /// … BedrockFlowsKnowledgeAssistantRole AssumeRolePolicyDocument (pinned flows)
    static let knowledgeAssistantTrust = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {
                        "Service": "bedrock.amazonaws.com"
                    },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {
                            "aws:SourceAccount": "123456789012"
                        },
                        "ArnLike": {
                            "aws:SourceArn": [
                                "arn:aws:bedrock:us-east-1:123456789012:flow/9JQ2WPL0TA",
                                "arn:aws:bedrock:us-east-1:123456789012:flow/ZZ0DELETED"
                            ]
                        }
                    }
                }
            ]
        }
        """#

    /// … BedrockFlowsDocBatchRole AssumeRolePolicyDocument (no condition)
    static let docBatchTrust = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {
                        "Service": "bedrock.amazonaws.com"
                    },
                    "Action": "sts:AssumeRole"
                }
            ]
        }
        """#

    /// … BedrockFlowsDocBatchRole DocBatchAccess
    static let docBatchInline = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "S3NodeIO",
                    "Effect": "Allow",
                    "Action": [
                        "s3:GetObject",
                        "s3:PutObject"
                    ],
                    "Resource": [
                        "arn:aws:s3:::acme-flow-docs-123456789012/*",
                        "arn:aws:s3:::acme-flow-results-123456789012/*"
                    ]
                },
                {
                    "Sid": "AgentNode",
                    "Effect": "Allow",
                    "Action": "bedrock:InvokeAgent",
                    "Resource": "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGT3K8PQ2M/ALS9V4TR7N"
                },
                {
                    "Sid": "Models",
                    "Effect": "Allow",
                    "Action": "bedrock:InvokeModel",
                    "Resource": "arn:aws:bedrock:us-east-1::foundation-model/*"
                },
                {
                    "Sid": "AlreadyHasOneFunction",
                    "Effect": "Allow",
                    "Action": "lambda:InvokeFunction",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer"
                }
            ]
        }
        """#

    /// … BedrockFlowsSharedAutomationRole AssumeRolePolicyDocument (two services + root)
    static let sharedAutomationTrust = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ServicesMayAssume",
                    "Effect": "Allow",
                    "Principal": {
                        "Service": [
                            "lambda.amazonaws.com",
                            "bedrock.amazonaws.com"
                        ]
                    },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {
                            "aws:SourceAccount": "123456789012"
                        }
                    }
                },
                {
                    "Sid": "BreakGlass",
                    "Effect": "Allow",
                    "Principal": {
                        "AWS": "arn:aws:iam::123456789012:root"
                    },
                    "Action": [
                        "sts:AssumeRole",
                        "sts:TagSession"
                    ]
                }
            ]
        }
        """#

    /// … BedrockFlowsSharedAutomationRole SharedAutomationLogsAndLex
    static let sharedAutomationInline = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "logs:CreateLogStream",
                        "logs:PutLogEvents"
                    ],
                    "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*"
                },
                {
                    "Effect": "Allow",
                    "Action": "lex:Recognize*",
                    "Resource": "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/*"
                }
            ]
        }
        """#

    /// … BedrockFlowsClaimsIntakeRole AssumeRolePolicyDocument (keys in other case)
    static let claimsIntakeTrust = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {
                        "Service": "bedrock.amazonaws.com"
                    },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "ArnLike": {
                            "aws:sourceArn": "arn:aws:bedrock:us-east-1:123456789012:flow/*"
                        },
                        "StringEquals": {
                            "AWS:SourceAccount": "123456789012"
                        }
                    }
                }
            ]
        }
        """#

    /// … BedrockFlowsClaimsIntakeRole ClaimsIntakeModels
    static let claimsIntakeInline = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "bedrock:InvokeModel",
                    "Resource": "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-70b-instruct-v1:0"
                }
            ]
        }
        """#

    /// … BedrockFlowsLegacyRole AssumeRolePolicyDocument (2008-10-17, single-object Statement)
    static let legacyTrust = #"""
        {
            "Version": "2008-10-17",
            "Statement": {
                "Effect": "Allow",
                "Principal": {
                    "Service": "bedrock.amazonaws.com"
                },
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringLike": {
                        "aws:SourceArn": "arn:aws:bedrock:*:123456789012:flow/*"
                    }
                }
            }
        }
        """#

    /// get-role-policy.legacy-deny.json PolicyDocument (BedrockFlowsLegacyRole legacy-inline)
    static let legacyInline = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "Bedrock:Invoke*",
                    "Resource": "*"
                },
                {
                    "Sid": "OnlyApprovedFunctions",
                    "Effect": "Deny",
                    "Action": "lambda:*",
                    "NotResource": "arn:aws:lambda:us-east-1:123456789012:function:approved-*"
                },
                {
                    "Sid": "NoPromptWrites",
                    "Effect": "Deny",
                    "NotAction": [
                        "bedrock:Get*",
                        "bedrock:List*",
                        "bedrock:Invoke*",
                        "bedrock:RenderPrompt",
                        "lambda:*"
                    ],
                    "Resource": "arn:aws:bedrock:us-east-1:123456789012:prompt/*"
                }
            ]
        }
        """#

    /// … Policies BedrockFlowsPermissionsBoundary v1 (default)
    static let permissionsBoundary = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "BedrockAndS3Only",
                    "Effect": "Allow",
                    "Action": [
                        "bedrock:*",
                        "s3:GetObject",
                        "s3:PutObject",
                        "kms:Decrypt"
                    ],
                    "Resource": "*"
                }
            ]
        }
        """#

    /// get-policy-version.v2.json PolicyVersion.Document (BedrockFlowsSharedAccess default)
    static let sharedAccessV2 = #"""
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Models",
                    "Effect": "Allow",
                    "Action": [
                        "bedrock:InvokeModel",
                        "bedrock:InvokeModelWithResponseStream"
                    ],
                    "Resource": [
                        "arn:aws:bedrock:us-east-1::foundation-model/*",
                        "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/*"
                    ]
                },
                {
                    "Sid": "Prompts",
                    "Effect": "Allow",
                    "Action": [
                        "bedrock:GetPrompt",
                        "bedrock:RenderPrompt"
                    ],
                    "Resource": "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMTK2B7WE"
                }
            ]
        }
        """#

}

extension RealPolicies {
    /// Every inlined document by name (test arguments print the name, not the text).
    static let all: [String: String] = [
        "consoleRoleTrust": consoleRoleTrust, "consoleRoleInline": consoleRoleInline,
        "knowledgeAssistantTrust": knowledgeAssistantTrust, "docBatchTrust": docBatchTrust,
        "docBatchInline": docBatchInline, "sharedAutomationTrust": sharedAutomationTrust,
        "sharedAutomationInline": sharedAutomationInline, "claimsIntakeTrust": claimsIntakeTrust,
        "claimsIntakeInline": claimsIntakeInline, "legacyTrust": legacyTrust, "legacyInline": legacyInline,
        "permissionsBoundary": permissionsBoundary, "sharedAccessV2": sharedAccessV2,
    ]
}
